package dev.lockstep.plan;

import java.util.List;

/** What planning a revision gave: a plan, a revision refused until a new commit, or a failure worth retrying. */
public sealed interface PlanResult {
    record Ready(Plan plan) implements PlanResult {}

    /** The revision itself is wrong (the server refused an object): nothing is written, wait for a new commit. */
    record Rejected(List<String> errors) implements PlanResult {}

    /** The cluster could not answer (unreachable, 5xx, conflict): try again later. */
    record Failed(String error) implements PlanResult {}
}
