package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.APP;
import static dev.lockstep.plan.PlanFixtures.NS;
import static dev.lockstep.plan.PlanFixtures.SETTINGS;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.configMap;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static dev.lockstep.plan.PlanFixtures.hookJob;
import static dev.lockstep.plan.PlanFixtures.manifest;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
    private final FakeCluster cluster = new FakeCluster();
    private final DriftDetector detector = new DriftDetector(cluster);

    /** Applies the manifest as Lockstep would and returns what Lockstep then expects of the live object. */
    private Expectation applied(Manifest m) {
        Map<String, Object> body = ApplyBody.of(m, APP, false);
        return Expectation.of(m.apiVersion(), body, cluster.apply(m.key(), body));
    }

    private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
        return Tree.maps(deployment, "spec", "template", "spec", "containers").get(0);
    }

    // ---- detect ----

    /** The watch cache's cheap resourceVersion read, and a count of the object reads (parses) a check makes. */
    private static final class CountingLive implements dev.lockstep.cluster.LiveObjects {
        private final FakeCluster cluster;
        int reads;

        CountingLive(FakeCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public java.util.Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
            reads++;
            return cluster.get(apiVersion, key);
        }

        @Override
        public java.util.Optional<String> resourceVersion(String apiVersion, ResourceKey key) {
            return cluster.get(apiVersion, key).flatMap(o -> Tree.string(o, "metadata", "resourceVersion"));
        }

        @Override
        public void watch(String apiVersion, String kind) {}

        @Override
        public void expectVersion(ResourceKey key, String resourceVersion) {}

        @Override
        public boolean isStale(ResourceKey key) {
            return false;
        }

        @Override
        public void onChange(java.util.function.Consumer<ResourceKey> listener) {}
    }

    @Test
    void anObjectUnchangedSinceACleanCheckIsNotReadAgainButAnyWriteToItIs() {
        CountingLive live = new CountingLive(cluster);
        DriftDetector steady = new DriftDetector(live);
        Map<ResourceKey, Expectation> expected = Map.of(
                WEB,
                applied(deployment("web", "web:1")),
                SETTINGS,
                applied(configMap("settings", map("mode", "fast"))));
        assertThat(steady.detect(expected)).isEmpty();
        assertThat(live.reads).isEqualTo(2);

        live.reads = 0;
        assertThat(steady.detect(expected)).isEmpty();
        assertThat(live.reads)
                .as("same resourceVersions, same expectations: nothing parsed")
                .isZero();

        cluster.edit(WEB, d -> firstContainer(d).put("image", "web:hotfix"));
        assertThat(steady.detect(expected)).containsExactly(new Drift(WEB, "spec.template.spec.containers[0].image"));
        assertThat(steady.detect(expected))
                .as("still drifted on the next check: a drifted object is never taken as clean")
                .containsExactly(new Drift(WEB, "spec.template.spec.containers[0].image"));

        cluster.removeFromCluster(SETTINGS);
        assertThat(steady.detect(expected)).contains(new Drift(SETTINGS, Drift.DELETED));
    }

    @Test
    void nothingDriftedRightAfterAnApply() {
        Map<ResourceKey, Expectation> expected = Map.of(
                WEB,
                applied(deployment("web", "web:1")),
                SETTINGS,
                applied(configMap("settings", map("mode", "fast"))));

        assertThat(detector.detect(expected)).isEmpty();
    }

    @Test
    void aHelmHookJobIsARunNotStateSoItIsNeverDrift() {
        ResourceKey migrate = ResourceKey.of("batch/v1", "Job", NS, "db-migrate");
        Map<ResourceKey, Expectation> expected = Map.of(
                migrate,
                applied(hookJob(
                        "db-migrate",
                        map("helm.sh/hook", "pre-upgrade"),
                        map("template", podTemplate("web:1")),
                        "charts/web/templates/migrate.yaml")),
                SETTINGS,
                applied(configMap("settings", map("mode", "fast"))));

        // a stalled commit's hook stage created it anew with its own template: self-heal must not try to put it back
        cluster.edit(
                migrate,
                job -> Tree.maps(job, "spec", "template", "spec", "containers")
                        .get(0)
                        .put("image", "web:2"));
        assertThat(detector.detect(expected)).isEmpty();

        // its TTL removed it: self-heal must not create it again (that would run the migration once more)
        cluster.removeFromCluster(migrate);
        cluster.removeFromCluster(SETTINGS);
        assertThat(detector.detect(expected)).extracting(Drift::key).containsExactly(SETTINGS);
    }

    @Test
    void kubectlSetImageIsDriftOnTheContainerImage() {
        Expectation web = applied(deployment("web", "web:1"));
        cluster.edit(WEB, d -> firstContainer(d).put("image", "web:hotfix"));

        List<Drift> drift = detector.detect(Map.of(WEB, web));

        assertThat(drift).containsExactly(new Drift(WEB, "spec.template.spec.containers[0].image"));
        assertThat(drift.get(0).affectsTemplateOrExistence()).isTrue();
    }

    @Test
    void kubectlScaleIsDriftOnReplicasButNotOnTheTemplate() {
        Expectation web = applied(deployment("web", "web:1"));
        cluster.edit(WEB, d -> Tree.ensureMap(d, "spec").put("replicas", 5));

        List<Drift> drift = detector.detect(Map.of(WEB, web));

        assertThat(drift).containsExactly(new Drift(WEB, "spec.replicas"));
        assertThat(drift.get(0).affectsTemplateOrExistence()).isFalse();
    }

    @Test
    void kubectlRolloutUndoIsDriftOnThePodTemplate() {
        applied(deployment("web", "web:1"));
        Expectation web = applied(deployment("web", "web:2"));
        // the controller copies the previous ReplicaSet's template back and bumps the revision
        cluster.edit(WEB, d -> {
            Tree.ensureMap(d, "spec").put("template", podTemplate("web:1"));
            Tree.ensureMap(d, "metadata", "annotations").put(MetadataKeys.DEPLOYMENT_REVISION, "3");
        });

        List<Drift> drift = detector.detect(Map.of(WEB, web));

        assertThat(drift).containsExactly(new Drift(WEB, "spec.template.spec.containers[0].image"));
        assertThat(drift.get(0).affectsTemplateOrExistence()).isTrue();
    }

    @Test
    void aTemplateChangeIsNamedEvenWhenAnAnnotationBeforeItChangedToo() {
        Manifest m = deployment("web", "web:2");
        Map<String, Object> body = ApplyBody.of(m, APP, false);
        Tree.ensureMap(body, "metadata", "annotations").put(MetadataKeys.CHANGE_CAUSE, "bbbbbbb image v2");
        Expectation web = Expectation.of(m.apiVersion(), body, cluster.apply(WEB, body));
        // kubectl rollout undo copies the old ReplicaSet's annotations onto the Deployment along with its template
        cluster.edit(WEB, d -> {
            Tree.ensureMap(d, "spec").put("template", podTemplate("web:1"));
            Tree.ensureMap(d, "metadata", "annotations").put(MetadataKeys.CHANGE_CAUSE, "aaaaaaa image v1");
        });

        List<Drift> drift = detector.detect(Map.of(WEB, web));

        assertThat(drift).containsExactly(new Drift(WEB, "spec.template.spec.containers[0].image"));
        assertThat(drift.get(0).affectsTemplateOrExistence()).isTrue();
    }

    @Test
    void fieldsOwnedByTheServerOrControllersAreNotDrift() {
        Expectation web = applied(deployment("web", "web:1"));
        cluster.edit(WEB, d -> {
            d.put("status", map("replicas", 2, "availableReplicas", 2, "observedGeneration", 4));
            Tree.ensureMap(d, "metadata").put("generation", 4);
            Tree.ensureMap(d, "metadata", "annotations").put(MetadataKeys.DEPLOYMENT_REVISION, "4");
            Tree.ensureMap(d, "spec").put("revisionHistoryLimit", 10);
            firstContainer(d).put("imagePullPolicy", "IfNotPresent");
        });

        assertThat(detector.detect(Map.of(WEB, web))).isEmpty();
    }

    @Test
    void aLabelAddedBySomeoneElseIsNotDrift() {
        Expectation settings = applied(configMap("settings", map("mode", "fast")));
        cluster.edit(SETTINGS, c -> Tree.ensureMap(c, "metadata", "labels").put("team", "payments"));

        assertThat(detector.detect(Map.of(SETTINGS, settings))).isEmpty();
    }

    @Test
    void aDeletedObjectIsDrift() {
        Expectation settings = applied(configMap("settings", map("mode", "fast")));
        cluster.removeFromCluster(SETTINGS);

        List<Drift> drift = detector.detect(Map.of(SETTINGS, settings));

        assertThat(drift).containsExactly(new Drift(SETTINGS, Drift.DELETED));
        assertThat(drift.get(0).affectsTemplateOrExistence()).isTrue();
    }

    @Test
    void theDriftNamesTheFieldButNeverItsValue() {
        Manifest secret = manifest(
                "v1",
                "Secret",
                NS,
                "db",
                map("type", "Opaque", "data", map("password", "czNjcjN0LXZhbHVl")),
                "app/db-secret.yaml",
                1);
        Expectation db = applied(secret);
        cluster.edit(secret.key(), s -> Tree.ensureMap(s, "data").put("password", "aHVudGVyMi1sZWFrZWQ="));

        List<Drift> drift = detector.detect(Map.of(secret.key(), db));

        assertThat(drift).containsExactly(new Drift(secret.key(), "data.password"));
        assertThat(drift.get(0).toString()).doesNotContain("czNjcjN0LXZhbHVl").doesNotContain("aHVudGVyMi1sZWFrZWQ=");
    }

    @Test
    void anObjectWhoseOwnWriteHasNotComeBackThroughTheWatchIsNotJudged() {
        Expectation web = applied(deployment("web", "web:2"));
        cluster.edit(WEB, d -> firstContainer(d).put("image", "web:1")); // the cache still shows the previous version
        DriftDetector behindTheWrite = new DriftDetector(new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public boolean isStale(ResourceKey key) {
                return key.equals(WEB);
            }
        });

        assertThat(behindTheWrite.detect(Map.of(WEB, web))).isEmpty();
        assertThat(detector.detect(Map.of(WEB, web))).hasSize(1);
    }

    // ---- priorApply ----

    @Test
    void priorApplySaysUnchangedForTheSameBodyOverAnUntouchedObject() {
        Expectation web = applied(deployment("web", "web:1"));

        PriorApply prior = detector.priorApply(Map.of(WEB, web));

        assertThat(prior.unchanged(
                        WEB, Tree.deepCopy(web.body()), cluster.object(WEB).orElseThrow()))
                .isTrue();
    }

    @Test
    void priorApplySaysChangedWhenTheBodyChanged() {
        Expectation web = applied(deployment("web", "web:1"));

        PriorApply prior = detector.priorApply(Map.of(WEB, web));

        Map<String, Object> newBody = ApplyBody.of(deployment("web", "web:2"), APP, false);
        assertThat(prior.unchanged(WEB, newBody, cluster.object(WEB).orElseThrow()))
                .isFalse();
    }

    @Test
    void priorApplySaysChangedWhenTheLiveObjectDriftedEvenWithTheSameBody() {
        Expectation web = applied(deployment("web", "web:1"));
        cluster.edit(WEB, d -> firstContainer(d).put("image", "web:hotfix"));

        PriorApply prior = detector.priorApply(Map.of(WEB, web));

        assertThat(prior.unchanged(WEB, web.body(), cluster.object(WEB).orElseThrow()))
                .isFalse();
    }

    @Test
    void priorApplySaysChangedForAnObjectThisProcessNeverApplied() {
        applied(configMap("settings", map("mode", "fast")));
        Expectation web = applied(deployment("web", "web:1"));

        PriorApply prior = detector.priorApply(Map.of(WEB, web));

        Map<String, Object> settings = cluster.object(SETTINGS).orElseThrow();
        assertThat(prior.unchanged(
                        SETTINGS, ApplyBody.of(configMap("settings", map("mode", "fast")), APP, false), settings))
                .isFalse();
    }

    @Test
    void priorApplySaysChangedWhileTheWatchHasNotDeliveredTheLastWrite() {
        Expectation web = applied(deployment("web", "web:1"));
        DriftDetector behindTheWrite = new DriftDetector(new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public boolean isStale(ResourceKey key) {
                return true;
            }
        });

        PriorApply prior = behindTheWrite.priorApply(Map.of(WEB, web));

        assertThat(prior.unchanged(WEB, web.body(), cluster.object(WEB).orElseThrow()))
                .isFalse();
    }
}
