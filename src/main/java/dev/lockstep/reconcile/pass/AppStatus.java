package dev.lockstep.reconcile.pass;

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
 * @param workloads   state of every other judged object ("Kind/namespace/name"): StatefulSets, DaemonSets, Jobs,
 *                    PersistentVolumeClaims, LoadBalancer Services
 */
public record AppStatus(
        String app,
        AppHealth health,
        String commit,
        String subject,
        String message,
        List<String> errors,
        Map<String, RolloutStatus> deployments,
        Map<String, RolloutStatus> workloads,
        Instant lastPass) {

    public static AppStatus unknown(String app) {
        return new AppStatus(app, AppHealth.UNKNOWN, "", "", "not reconciled yet", List.of(), Map.of(), Instant.EPOCH);
    }

    public AppStatus {
        errors = List.copyOf(errors);
        deployments = Map.copyOf(deployments);
        workloads = Map.copyOf(workloads);
    }

    /** An app with Deployments only. */
    public AppStatus(
            String app,
            AppHealth health,
            String commit,
            String subject,
            String message,
            List<String> errors,
            Map<String, RolloutStatus> deployments,
            Instant lastPass) {
        this(app, health, commit, subject, message, errors, deployments, Map.of(), lastPass);
    }

    /** Equal to {@code other} in everything but {@link #lastPass()}, the time the status was computed. */
    public boolean sameAs(AppStatus other) {
        return other != null
                && app.equals(other.app)
                && health == other.health
                && commit.equals(other.commit)
                && subject.equals(other.subject)
                && message.equals(other.message)
                && errors.equals(other.errors)
                && deployments.equals(other.deployments)
                && workloads.equals(other.workloads);
    }

    /**
     * The app's health is its problem if it has one (a stalled commit, git or the cluster unreachable), otherwise the
     * worst of its Deployments' rollouts and its other workloads' states.
     */
    public static AppStatus of(
            String app,
            java.util.Optional<AppHealth> problem,
            String problemMessage,
            List<String> errors,
            Map<String, RolloutStatus> deployments,
            Map<String, RolloutStatus> workloads,
            String commit,
            String subject,
            Instant now) {
        Map<String, RolloutStatus> all = new java.util.LinkedHashMap<>(deployments);
        all.putAll(workloads);
        AppHealth health = problem.orElseGet(() -> worst(all));
        String message = problem.isPresent()
                ? problemMessage
                : health == AppHealth.HEALTHY
                        ? "all objects applied and rolled out"
                        : all.values().stream()
                                .filter(s -> s.state() != dev.lockstep.rollout.RolloutState.HEALTHY)
                                .map(RolloutStatus::message)
                                .reduce((a, b) -> a + "; " + b)
                                .orElse("");
        return new AppStatus(app, health, commit, subject, message, errors, deployments, workloads, now);
    }

    private static AppHealth worst(Map<String, RolloutStatus> deployments) {
        var states = deployments.values().stream().map(RolloutStatus::state).toList();
        if (states.contains(dev.lockstep.rollout.RolloutState.FAILED)) {
            return AppHealth.FAILED;
        }
        return states.contains(dev.lockstep.rollout.RolloutState.PROGRESSING)
                ? AppHealth.PROGRESSING
                : AppHealth.HEALTHY;
    }
}
