package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.APP;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftHealerTest {
    private final FakeCluster cluster = new FakeCluster();
    /** Every body sent to the server, to check the healer sends exactly what was applied. */
    private final List<Map<String, Object>> sent = new ArrayList<>();

    private final ObjectApi recording = new ObjectApi() {
        @Override
        public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
            return cluster.dryRunApply(key, body);
        }

        @Override
        public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
            sent.add(Tree.deepCopy(body));
            return cluster.apply(key, body);
        }

        @Override
        public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
            sent.add(Tree.deepCopy(body));
            return cluster.create(key, body);
        }

        @Override
        public boolean delete(ResourceKey key, String apiVersion) {
            return cluster.delete(key, apiVersion);
        }

        @Override
        public ObjectApi as(dev.lockstep.model.ServiceAccountRef account) {
            throw new UnsupportedOperationException("not impersonated in this test");
        }
    };
    private final DriftHealer healer = new DriftHealer(recording, cluster);

    /** The Deployment applied with its commit annotations, as the last pass left it. */
    private Expectation applied() {
        Manifest m = deployment("web", "web:1");
        Map<String, Object> body = ApplyBody.of(m, APP, false);
        Tree.ensureMap(body, "metadata", "annotations").put(MetadataKeys.COMMIT, "abc1234" + "0".repeat(33));
        Expectation expected = Expectation.of(m.apiVersion(), body, cluster.apply(WEB, body));
        cluster.clearCalls();
        return expected;
    }

    private void kubectlSetImage(String image) {
        cluster.edit(
                WEB,
                d -> Tree.maps(d, "spec", "template", "spec", "containers")
                        .get(0)
                        .put("image", image));
    }

    private String liveImage() {
        return Tree.string(
                        Tree.maps(cluster.object(WEB).orElseThrow(), "spec", "template", "spec", "containers")
                                .get(0),
                        "image")
                .orElseThrow();
    }

    @Test
    void reappliesExactlyTheBodyAppliedLastTime() {
        Expectation expected = applied();
        kubectlSetImage("web:hotfix");

        healer.heal(WEB, expected);

        assertThat(cluster.calls()).containsExactly("apply Deployment/shop/web");
        assertThat(sent).containsExactly(expected.body());
        assertThat(liveImage()).isEqualTo("web:1");
    }

    @Test
    void returnsTheExpectationAfterTheWriteAgainstWhichNothingHasDrifted() {
        Expectation expected = applied();
        kubectlSetImage("web:hotfix");
        assertThat(new DriftDetector(cluster).detect(Map.of(WEB, expected))).isNotEmpty();

        Expectation healed = healer.heal(WEB, expected);

        assertThat(healed.apiVersion()).isEqualTo("apps/v1");
        assertThat(healed.body()).isEqualTo(expected.body());
        assertThat(healed.projection())
                .isEqualTo(Projection.project(cluster.object(WEB).orElseThrow(), expected.body()));
        assertThat(new DriftDetector(cluster).detect(Map.of(WEB, healed))).isEmpty();
    }

    @Test
    void recreatesADeletedObject() {
        Expectation expected = applied();
        cluster.removeFromCluster(WEB);

        healer.heal(WEB, expected);

        assertThat(cluster.object(WEB)).isPresent();
        assertThat(Tree.string(cluster.object(WEB).orElseThrow(), "metadata", "annotations", MetadataKeys.COMMIT))
                .contains("abc1234" + "0".repeat(33));
    }

    @Test
    void handsTheVersionItWroteToTheWatch() {
        Expectation expected = applied();
        kubectlSetImage("web:hotfix");
        List<String> versions = new ArrayList<>();
        DriftHealer healer = new DriftHealer(cluster, new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public void expectVersion(ResourceKey key, String resourceVersion) {
                versions.add(key + "@" + resourceVersion);
            }
        });

        healer.heal(WEB, expected);

        String written = Tree.string(cluster.object(WEB).orElseThrow(), "metadata", "resourceVersion")
                .orElseThrow();
        assertThat(versions).containsExactly("Deployment/shop/web@" + written);
    }
}
