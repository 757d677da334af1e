package dev.lockstep.reconcile;

import dev.lockstep.rollout.RolloutStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code lockstep status} and {@code GET /status} show for one app.
 *
 * @param commit      the commit the cluster is at (last applied)
 * @param errors      why the latest commit is not applied, each naming file:line where it applies
 * @param deployments rollout state per Deployment ("namespace/name")
 */
public record AppStatus(
        String app,
        AppHealth health,
        String commit,
        String subject,
        String message,
        List<String> errors,
        Map<String, RolloutStatus> deployments,
        Instant lastPass) {

    public static AppStatus unknown(String app) {
        return new AppStatus(app, AppHealth.UNKNOWN, "", "", "not reconciled yet", List.of(), Map.of(), Instant.EPOCH);
    }

    public AppStatus {
        errors = List.copyOf(errors);
        deployments = Map.copyOf(deployments);
    }
}
