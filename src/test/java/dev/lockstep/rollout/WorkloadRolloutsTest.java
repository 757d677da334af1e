package dev.lockstep.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.util.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Status shapes captured from the local 1.20 control plane's own StatefulSet, DaemonSet and Job controllers (with the
 * simulated node), trimmed to metadata, spec and status, judged with {@code kubectl rollout status}'s words.
 */
class WorkloadRolloutsTest {

    @Test
    void aStatefulSetWithEveryPodReadyAtTheUpdateRevisionIsRolledOut() {
        var s = judge("statefulset-healthy");
        assertThat(s.state()).isEqualTo(RolloutState.HEALTHY);
        assertThat(s.message()).isEqualTo("statefulset rolling update complete 2 pods at revision web-7f4b9b957...");
    }

    @Test
    void aStatefulSetWhoseNewPodNeverBecomesReadyWaitsForIt() {
        var s = judge("statefulset-v2-unready");
        assertThat(s.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(s.message()).isEqualTo("Waiting for 1 pods to be ready...");
    }

    @Test
    void aStatefulSetWithAllPodsReadyButStillAtTheOldRevisionWaitsForTheRollingUpdate() {
        Map<String, Object> sts = shape("statefulset-v2-unready");
        Tree.ensureMap(sts, "status").put("readyReplicas", 2);
        var s = StatefulSetRollout.evaluate(sts);
        assertThat(s.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(s.message())
                .isEqualTo("waiting for statefulset rolling update to complete 1 pods at revision web-747fd55564...");
    }

    @Test
    void aPartitionedStatefulSetIsDoneWhenThePodsAboveThePartitionAreUpdated() {
        var s = judge("statefulset-partition");
        assertThat(s.state()).isEqualTo(RolloutState.HEALTHY);
        assertThat(s.message()).isEqualTo("partitioned roll out complete: 1 new pods have been updated...");

        Map<String, Object> sts = shape("statefulset-partition");
        Tree.ensureMap(sts, "spec", "updateStrategy", "rollingUpdate").put("partition", 1);
        var waiting = StatefulSetRollout.evaluate(sts);
        assertThat(waiting.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(waiting.message())
                .isEqualTo("Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...");
    }

    @Test
    void onDeleteIsReportedNotWaitedOn() {
        var s = judge("statefulset-ondelete");
        assertThat(s.state()).isEqualTo(RolloutState.HEALTHY);
        assertThat(s.message())
                .isEqualTo("statefulset \"ondel\" uses the OnDelete strategy: 0 of 1 pods at revision ondel-dc4dff4f9"
                        + " (pods change when deleted; not waited on)");
    }

    @Test
    void aStatefulSetSpecNotYetObservedIsProgressing() {
        Map<String, Object> sts = shape("statefulset-healthy");
        Tree.ensureMap(sts, "metadata").put("generation", 4);
        assertThat(StatefulSetRollout.evaluate(sts).message())
                .isEqualTo("Waiting for statefulset spec update to be observed...");
    }

    @Test
    void aDaemonSetIsRolledOutWhenEveryScheduledPodIsUpdatedAndAvailable() {
        var s = judge("daemonset-healthy");
        assertThat(s.state()).isEqualTo(RolloutState.HEALTHY);
        assertThat(s.message()).isEqualTo("daemon set \"agent\" successfully rolled out");
    }

    @Test
    void aDaemonSetWhoseUpdatedPodIsNotAvailableWaits() {
        var s = judge("daemonset-v2-unready");
        assertThat(s.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(s.message())
                .isEqualTo("Waiting for daemon set \"agent\" rollout to finish: 0 of 1 updated pods are available...");
    }

    @Test
    void aDaemonSetWaitsForUpdatedPodsAndForItsGenerationToBeObserved() {
        Map<String, Object> ds = shape("daemonset-v2-unready");
        Tree.ensureMap(ds, "status").put("updatedNumberScheduled", 0);
        assertThat(DaemonSetRollout.evaluate(ds).message())
                .isEqualTo(
                        "Waiting for daemon set \"agent\" rollout to finish: 0 out of 1 new pods have been updated...");
        Tree.ensureMap(ds, "metadata").put("generation", 5);
        assertThat(DaemonSetRollout.evaluate(ds).message())
                .isEqualTo("Waiting for daemon set spec update to be observed...");
    }

    @Test
    void aJobIsHealthyWhenCompleteAndFailedWithTheControllersMessage() {
        assertThat(judge("job-complete")).isEqualTo(ok("job \"ok\" completed (1 succeeded)"));
        assertThat(judge("job-backoff-limit"))
                .isEqualTo(new RolloutStatus(
                        RolloutState.FAILED,
                        "job \"bad\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit",
                        0));
        assertThat(judge("job-deadline-exceeded"))
                .isEqualTo(new RolloutStatus(
                        RolloutState.FAILED,
                        "job \"slow\" failed: DeadlineExceeded: Job was active longer than specified deadline",
                        0));
        assertThat(judge("job-running"))
                .isEqualTo(new RolloutStatus(
                        RolloutState.PROGRESSING,
                        "Waiting for job \"slow\" to complete: 0 of 1 succeeded, 1 active, 0 failed...",
                        0));
    }

    @Test
    void aClaimIsReadyWhenBoundAndALoadBalancerWhenItHasAnIngress() {
        assertThat(judge("pvc-pending"))
                .isEqualTo(new RolloutStatus(
                        RolloutState.PROGRESSING,
                        "Waiting for persistentvolumeclaim \"data\" to be bound (phase Pending)...",
                        0));
        Map<String, Object> pvc = shape("pvc-pending");
        Tree.ensureMap(pvc, "status").put("phase", "Bound");
        assertThat(ObjectReadiness.of(key(pvc), pvc)).contains(ok("persistentvolumeclaim \"data\" is Bound"));

        assertThat(judge("service-loadbalancer-pending"))
                .isEqualTo(new RolloutStatus(
                        RolloutState.PROGRESSING, "Waiting for service \"lb\" to get a load balancer ingress...", 0));
        Map<String, Object> lb = shape("service-loadbalancer-pending");
        Tree.ensureMap(lb, "status", "loadBalancer").put("ingress", java.util.List.of(Map.of("ip", "192.0.2.10")));
        assertThat(ObjectReadiness.of(key(lb), lb))
                .contains(ok("service \"lb\" has a load balancer ingress (192.0.2.10)"));
    }

    @Test
    void anyOtherKindIsNotJudged() {
        Map<String, Object> lb = shape("service-loadbalancer-pending");
        Tree.ensureMap(lb, "spec").put("type", "ClusterIP");
        assertThat(ObjectReadiness.of(key(lb), lb)).isEmpty();
        assertThat(ObjectReadiness.of(ResourceKey.of("v1", "ConfigMap", "probe", "c"), Map.of()))
                .isEmpty();
    }

    private static RolloutStatus ok(String message) {
        return new RolloutStatus(RolloutState.HEALTHY, message, 0);
    }

    private static RolloutStatus judge(String name) {
        Map<String, Object> object = shape(name);
        return ObjectReadiness.of(key(object), object).orElseThrow();
    }

    private static ResourceKey key(Map<String, Object> object) {
        return ResourceKey.of(
                Tree.string(object, "apiVersion").orElseThrow(),
                Tree.string(object, "kind").orElseThrow(),
                Tree.string(object, "metadata", "namespace").orElse(""),
                Tree.string(object, "metadata", "name").orElseThrow());
    }

    static Map<String, Object> shape(String name) {
        try (InputStream in = WorkloadRolloutsTest.class.getResourceAsStream(name + ".json")) {
            return new org.yaml.snakeyaml.Yaml().load(in); // JSON is YAML
        } catch (IOException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
