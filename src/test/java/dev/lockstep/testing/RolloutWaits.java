package dev.lockstep.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits on Deployment rollouts the way {@code kubectl rollout status} judges them. On timeout the error shows
 * the Deployment's status, conditions and ReplicaSets.
 */
public final class RolloutWaits {

    /** Generous: a loaded 2-core machine runs several test classes against one control plane at once. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern TIMED_OUT_REPLICA_SET = Pattern.compile("ReplicaSet \"([^\"]+)\" has timed out");

    private RolloutWaits() {}

    /** Until the rollout is complete; fails at once (with the status) if it hits its progress deadline. */
    public static Deployment awaitRolloutComplete(KubernetesClient client, String namespace, String name) {
        return awaitDeployment(client, namespace, name, "rollout complete", RolloutWaits::isComplete, true);
    }

    /** Until the Progressing condition says ProgressDeadlineExceeded. */
    public static Deployment awaitProgressDeadlineExceeded(KubernetesClient client, String namespace, String name) {
        return awaitDeployment(
                client,
                namespace,
                name,
                "Progressing reason " + PROGRESS_DEADLINE_EXCEEDED,
                RolloutWaits::deadlineExceeded,
                false);
    }

    /** Until {@code condition} holds for the Deployment; returns the Deployment that satisfied it. */
    public static Deployment awaitDeployment(
            KubernetesClient client,
            String namespace,
            String name,
            String description,
            Predicate<Deployment> condition,
            boolean failOnDeadlineExceeded) {
        AtomicReference<Deployment> last = new AtomicReference<>();
        await("deployment " + namespace + "/" + name + ": " + description)
                .atMost(DEFAULT_TIMEOUT)
                .pollInterval(POLL)
                .pollDelay(Duration.ZERO)
                .untilAsserted(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(namespace)
                            .withName(name)
                            .get();
                    last.set(d);
                    if (d != null && condition.test(d)) {
                        return;
                    }
                    String report = DeploymentReport.describe(client, namespace, name);
                    if (failOnDeadlineExceeded && d != null && currentReplicaSetTimedOut(client, d)) {
                        // not an AssertionError: Awaitility stops at once instead of polling to the timeout
                        throw new RolloutFailedException("deployment " + namespace + "/" + name
                                + " hit its progress deadline while waiting for " + description + "\n" + report);
                    }
                    throw new AssertionError("still waiting for " + description + "\n" + report);
                });
        return last.get();
    }

    /**
     * The deadline condition names the ReplicaSet that timed out. After a rollback to a reused ReplicaSet the
     * controller leaves the previous rollout's condition in place until the first progress (kubectl rollout status
     * misreads that window too), so a condition naming another ReplicaSet than the Deployment's current one is stale.
     */
    static boolean currentReplicaSetTimedOut(KubernetesClient client, Deployment d) {
        if (!deadlineExceeded(d)) {
            return false;
        }
        String message =
                condition(d, "Progressing").map(DeploymentCondition::getMessage).orElse("");
        Matcher named = TIMED_OUT_REPLICA_SET.matcher(message);
        if (!named.find()) {
            return true;
        }
        String revision = DeploymentReport.annotation(d, DeploymentReport.REVISION);
        return DeploymentReport.ownedReplicaSets(client, d).stream()
                .filter(rs -> rs.getMetadata().getName().equals(named.group(1)))
                .anyMatch(rs -> Objects.equals(revision, DeploymentReport.annotation(rs, DeploymentReport.REVISION)));
    }

    /** A rollout that can no longer reach the state a test waits for. */
    public static final class RolloutFailedException extends RuntimeException {
        RolloutFailedException(String message) {
            super(message);
        }
    }

    /** Same rule as kubectl rollout status: observed, all replicas updated, no old ones left, all available. */
    public static boolean isComplete(Deployment d) {
        if (!observed(d)) {
            return false;
        }
        DeploymentStatus s = d.getStatus();
        int desired = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
        int updated = Objects.requireNonNullElse(s.getUpdatedReplicas(), 0);
        int current = Objects.requireNonNullElse(s.getReplicas(), 0);
        int available = Objects.requireNonNullElse(s.getAvailableReplicas(), 0);
        return updated >= desired && current == updated && available >= updated && !deadlineExceeded(d);
    }

    /** True once the controller has seen the latest spec: before that, the status speaks of the previous one. */
    public static boolean observed(Deployment d) {
        DeploymentStatus s = d.getStatus();
        return s != null
                && s.getObservedGeneration() != null
                && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    /** The current spec's rollout hit its progress deadline (a stale condition from the previous spec does not count). */
    public static boolean deadlineExceeded(Deployment d) {
        return observed(d)
                && condition(d, "Progressing")
                        .filter(c -> PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason()))
                        .isPresent();
    }

    public static Optional<DeploymentCondition> condition(Deployment d, String type) {
        List<DeploymentCondition> conditions =
                d.getStatus() == null ? null : d.getStatus().getConditions();
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
