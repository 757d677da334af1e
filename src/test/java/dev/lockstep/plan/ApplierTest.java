package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.APP;
import static dev.lockstep.plan.PlanFixtures.DIRECT;
import static dev.lockstep.plan.PlanFixtures.SETTINGS;
import static dev.lockstep.plan.PlanFixtures.SHOP_NAMESPACE;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.WEB_SERVICE;
import static dev.lockstep.plan.PlanFixtures.at;
import static dev.lockstep.plan.PlanFixtures.change;
import static dev.lockstep.plan.PlanFixtures.configMap;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static dev.lockstep.plan.PlanFixtures.ingress;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.namespace;
import static dev.lockstep.plan.PlanFixtures.service;
import static dev.lockstep.plan.PlanFixtures.widgetCrd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApplierTest {
    private final FakeCluster cluster = new FakeCluster();
    private final Applier applier = new Applier(cluster, cluster, DIRECT);

    private static Plan plan(Change... changes) {
        return new Plan(List.of(changes), List.of());
    }

    private static List<ResourceKey> keys(Applier.ApplyResult result) {
        return result.applied().stream().map(a -> a.change().key()).toList();
    }

    /** Namespace, ConfigMap, Service and Deployment of the app, listed in the wrong order on purpose. */
    private static Plan shopPlan() {
        return plan(
                change(at(deployment("web", "web:1"), "app/web.yaml", 20), Action.CREATE),
                change(at(service("web"), "app/web.yaml", 3), Action.CREATE),
                change(configMap("settings", map("mode", "fast")), Action.CREATE),
                change(namespace("shop"), Action.CREATE));
    }

    @Test
    void stagesGoOutInOrderWhateverTheOrderOfThePlan() {
        Plan plan = plan(
                change(ingress("web"), Action.CREATE),
                change(deployment("web", "web:1"), Action.CREATE),
                change(service("web"), Action.CREATE),
                change(configMap("settings", map("mode", "fast")), Action.CREATE),
                change(namespace("shop"), Action.CREATE),
                change(widgetCrd(), Action.CREATE));

        Applier.ApplyResult result = applier.apply(plan);

        assertThat(result.ok()).isTrue();
        assertThat(cluster.order("apply"))
                .containsExactly(
                        "Namespace/shop",
                        "CustomResourceDefinition/widgets.example.com",
                        "ConfigMap/shop/settings",
                        "Service/shop/web",
                        "Deployment/shop/web",
                        "Ingress/shop/web");
    }

    @Test
    void aCreateTheDryRunSawAsNewFailsWhenTheObjectExistsByNowWhileAnAdoptionOrAnUnpredictedCreateApplies() {
        Manifest settings = configMap("settings", map("mode", "fast"));
        Map<String, Object> body = ApplyBody.of(settings, APP, false);
        Change seenAbsent = new Change(
                settings,
                Action.CREATE,
                body,
                Optional.of(cluster.dryRunApply(settings.key(), body)),
                Optional.empty(),
                Optional.empty());
        assertThat(seenAbsent.createsNew()).isTrue();
        cluster.put(settings.key(), Map.of("metadata", Map.of("name", "settings"), "data", Map.of("mode", "other")));

        Applier.ApplyResult raced = applier.apply(plan(seenAbsent));

        assertThat(raced.ok()).isFalse();
        assertThat(raced.retryable()).as("judged again by the next pass").isTrue();
        assertThat(raced.errors()).singleElement().asString().contains("it exists by now");
        assertThat(cluster.object(settings.key()).orElseThrow().get("data")).isEqualTo(Map.of("mode", "other"));

        Change seenExisting = new Change(
                settings,
                Action.CREATE,
                body,
                Optional.of(cluster.dryRunApply(settings.key(), body)),
                Optional.empty(),
                Optional.empty());
        assertThat(seenExisting.createsNew())
                .as("the dry run answered with its resourceVersion")
                .isFalse();
        assertThat(change(settings, Action.CREATE).createsNew())
                .as("no dry run: existence unknown")
                .isFalse();
        assertThat(applier.apply(plan(seenExisting)).ok()).isTrue();
        assertThat(cluster.object(settings.key()).orElseThrow().get("data")).isEqualTo(Map.of("mode", "fast"));
    }

    @Test
    void unchangedObjectsAreNotWritten() {
        Applier.ApplyResult result = applier.apply(plan(
                change(configMap("settings", map("mode", "fast")), Action.UNCHANGED),
                change(deployment("web", "web:1"), Action.UPDATE)));

        assertThat(cluster.order("apply")).containsExactly("Deployment/shop/web");
        assertThat(keys(result)).containsExactly(WEB);
    }

    @Test
    void theObjectsOfOneStageAreAppliedConcurrently() {
        // Each Deployment's apply waits until all three are in flight: applied one after another, none would return.
        CyclicBarrier allInFlight = new CyclicBarrier(3);
        ObjectApi waitsForTheOthers = new ObjectApi() {
            @Override
            public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
                return cluster.dryRunApply(key, body);
            }

            @Override
            public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
                try {
                    allInFlight.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(key + " was applied alone: the stage is not concurrent", e);
                }
                return cluster.apply(key, body);
            }

            @Override
            public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
                try {
                    allInFlight.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(key + " was created alone: the stage is not concurrent", e);
                }
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
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Applier.ApplyResult result = new Applier(waitsForTheOthers, cluster, pool)
                    .apply(plan(
                            change(deployment("web", "web:1"), Action.CREATE),
                            change(deployment("api", "api:1"), Action.CREATE),
                            change(deployment("worker", "worker:1"), Action.CREATE)));

            assertThat(result.ok()).isTrue();
            assertThat(cluster.order("apply"))
                    .containsExactlyInAnyOrder("Deployment/shop/web", "Deployment/shop/api", "Deployment/shop/worker");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingStageStopsLaterStagesAndKeepsEarlierOnesApplied() {
        cluster.failApply(WEB_SERVICE, 422, "spec.ports[0].port: Invalid value: 0");

        Applier.ApplyResult result = applier.apply(shopPlan());

        assertThat(result.ok()).isFalse();
        assertThat(result.errors())
                .containsExactly("app/web.yaml:3: apply Service/shop/web failed: spec.ports[0].port: Invalid value: 0");
        assertThat(keys(result)).containsExactly(SHOP_NAMESPACE, SETTINGS);
        assertThat(cluster.order("apply")).doesNotContain("Deployment/shop/web");
        assertThat(cluster.keys()).contains(SHOP_NAMESPACE, SETTINGS).doesNotContain(WEB);
    }

    @Test
    void aRejectedObjectIsNotRetryable() {
        cluster.failApply(WEB, 422, "spec.replicas: Invalid value: -1");

        Applier.ApplyResult result = applier.apply(shopPlan());

        assertThat(result.retryable()).isFalse();
        assertThat(result.errors())
                .containsExactly("app/web.yaml:20: apply Deployment/shop/web failed: spec.replicas: Invalid value: -1");
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 500, 503, 0, -1}) // -1: fabric8's code for no answer at all (a connection reset)
    void aConflictServerErrorOrLostConnectionIsRetryable(int status) {
        cluster.failApply(WEB, status, "the object has been modified");

        Applier.ApplyResult result = applier.apply(shopPlan());

        assertThat(result.ok()).isFalse();
        assertThat(result.retryable()).isTrue();
        assertThat(result.errors())
                .containsExactly("app/web.yaml:20: apply Deployment/shop/web failed: the object has been modified");
    }

    @Test
    void oneRejectedObjectMakesTheWholeStageNotRetryable() {
        cluster.failApply(WEB, 500, "internal error");
        ResourceKey api = ResourceKey.of("apps/v1", "Deployment", "shop", "api");
        cluster.failApply(api, 422, "spec.selector: Required value");

        Applier.ApplyResult result = applier.apply(plan(
                change(deployment("web", "web:1"), Action.UPDATE), change(deployment("api", "api:1"), Action.UPDATE)));

        assertThat(result.retryable()).isFalse();
        assertThat(result.errors())
                .containsExactly(
                        "app/web.yaml:1: apply Deployment/shop/web failed: internal error",
                        "app/api.yaml:1: apply Deployment/shop/api failed: spec.selector: Required value");
    }

    @Test
    void aBugIsThrownOutOfApplyNotReportedAsARetryableError() {
        ObjectApi buggy = new ObjectApi() {
            @Override
            public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
                return cluster.dryRunApply(key, body);
            }

            @Override
            public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
                if (key.equals(WEB_SERVICE)) {
                    throw new IllegalStateException("serializer lost the body of " + key);
                }
                return cluster.apply(key, body);
            }

            @Override
            public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
                if (key.equals(WEB_SERVICE)) {
                    throw new IllegalStateException("serializer lost the body of " + key);
                }
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

        assertThatThrownBy(() -> new Applier(buggy, cluster, DIRECT).apply(shopPlan()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("serializer lost the body of Service/shop/web");
        assertThat(cluster.order("apply")).doesNotContain("Deployment/shop/web");
    }

    @Test
    void theVersionWrittenIsHandedToTheWatchSoItsEchoIsNotTakenForDrift() {
        Map<ResourceKey, String> expected = new ConcurrentHashMap<>();
        PlanFixtures.DelegatingLive live = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public void expectVersion(ResourceKey key, String resourceVersion) {
                expected.put(key, resourceVersion);
            }
        };

        Applier.ApplyResult result =
                new Applier(cluster, live, DIRECT).apply(plan(change(deployment("web", "web:1"), Action.CREATE)));

        String written = Tree.string(result.applied().get(0).result(), "metadata", "resourceVersion")
                .orElseThrow();
        assertThat(expected).containsExactly(Map.entry(WEB, written));
        assertThat(Tree.string(cluster.object(WEB).orElseThrow(), "metadata", "resourceVersion"))
                .contains(written);
    }
}
