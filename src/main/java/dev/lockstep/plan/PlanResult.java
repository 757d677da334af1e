package dev.lockstep.plan;

import java.util.List;

/** What planning a revision gave: a plan, a revision refused until a new commit, or a failure worth retrying. */
public sealed interface PlanResult {
    record Ready(Plan plan) implements PlanResult {}

    /** The revision itself is wrong (the server refused an object): nothing is written, wait for a new commit. */
    record Rejected(List<String> errors) implements PlanResult {}

    /**
     * The API server forbade a write of the revision (RBAC: the app's impersonated ServiceAccount, or the daemon's own
     * account, may not touch an object): nothing is written, wait for a new commit. {@code errors} name the account, the
     * verb and the object; other refusals of the same revision come after them.
     */
    record Forbidden(List<String> errors) implements PlanResult {}

    /** The cluster could not answer (unreachable, 5xx, conflict): try again later. */
    record Failed(String error) implements PlanResult {}
}
