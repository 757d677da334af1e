package dev.lockstep.plan;

import static dev.lockstep.plan.PlanFixtures.DIRECT;
import static dev.lockstep.plan.PlanFixtures.NS;
import static dev.lockstep.plan.PlanFixtures.WEB;
import static dev.lockstep.plan.PlanFixtures.change;
import static dev.lockstep.plan.PlanFixtures.deployment;
import static dev.lockstep.plan.PlanFixtures.hookJob;
import static dev.lockstep.plan.PlanFixtures.managed;
import static dev.lockstep.plan.PlanFixtures.manifest;
import static dev.lockstep.plan.PlanFixtures.map;
import static dev.lockstep.plan.PlanFixtures.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.MutableClock;
import dev.lockstep.util.Tree;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A Helm hook stage waits for the hook Jobs and Pods it (re)created, as Argo CD waits for a sync phase: the chart's
 * other objects go out only after they succeeded; a failed or late hook stops the apply, naming it and its template.
 */
class HookWaitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ResourceKey MIGRATE = ResourceKey.of("batch/v1", "Job", NS, "db-migrate");
    private static final ResourceKey SEED = ResourceKey.of("v1", "Pod", NS, "seed");

    private final FakeCluster cluster = new FakeCluster();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T21:00:00Z"));
    /** What happens in the cluster at each pause of the wait, by the count of pauses so far. */
    private final List<Consumer<FakeCluster>> atPause = new ArrayList<>();

    private final List<Duration> pauses = new ArrayList<>();
    private final HookWait.Sleeper sleeper = d -> {
        pauses.add(d);
        clock.advance(d);
        if (pauses.size() <= atPause.size()) {
            atPause.get(pauses.size() - 1).accept(cluster);
        }
    };
    private final Applier applier = new Applier(cluster, cluster, DIRECT, new HookWait(cluster, clock, sleeper));

    private static Manifest migrateJob(String hook, String image) {
        return hookJob(
                "db-migrate",
                map("helm.sh/hook", hook),
                map("backoffLimit", 0, "template", podTemplate(image)),
                "charts/web/templates/migrate-job.yaml");
    }

    private static Manifest seedPod() {
        return manifest(
                "v1",
                "Pod",
                NS,
                "seed",
                map(
                        "metadata",
                        map("name", "seed", "namespace", NS, "annotations", map("helm.sh/hook", "post-install")),
                        "spec",
                        map("containers", List.of(map("name", "seed", "image", "seed:1")))),
                "charts/web/templates/seed-pod.yaml",
                0);
    }

    private static Plan plan(Change... changes) {
        return new Plan(List.of(changes), List.of());
    }

    private static Consumer<FakeCluster> jobCondition(String type, String reason, String message) {
        return c -> c.edit(
                MIGRATE,
                job -> Tree.ensureMap(job, "status")
                        .put(
                                "conditions",
                                List.of(map("type", type, "status", "True", "reason", reason, "message", message))));
    }

    private static Consumer<FakeCluster> jobCounts(long active, long succeeded) {
        return c -> c.edit(MIGRATE, job -> {
            Map<String, Object> status = Tree.ensureMap(job, "status");
            status.put("active", active);
            status.put("succeeded", succeeded);
        });
    }

    private static Consumer<FakeCluster> podPhase(String phase) {
        return c -> c.edit(SEED, pod -> Tree.ensureMap(pod, "status").put("phase", phase));
    }

    @Test
    void theDeploymentGoesOutOnlyAfterThePreUpgradeHookJobCompleted() {
        atPause.add(jobCounts(1, 0));
        atPause.add(c -> {
            assertThat(c.object(WEB))
                    .as("nothing of the next stage while the hook runs")
                    .isEmpty();
            jobCounts(0, 1).accept(c);
            jobCondition("Complete", "", "").accept(c);
        });

        Applier.ApplyResult result = applier.apply(
                plan(
                        change(deployment("web", "web:2"), Action.CREATE),
                        change(migrateJob("pre-install,pre-upgrade", "web:2"), Action.CREATE)),
                TIMEOUT);

        assertThat(result.errors()).isEmpty();
        assertThat(cluster.order("apply")).containsExactly("Job/shop/db-migrate", "Deployment/shop/web");
        assertThat(pauses).hasSize(2).allSatisfy(p -> assertThat(p).isEqualTo(HookWait.POLL_EVERY));
    }

    @Test
    void aFailedHookJobStopsTheApplyNamingItsTemplateAndTheControllersReason() {
        atPause.add(jobCondition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));

        Applier.ApplyResult result = applier.apply(
                plan(
                        change(deployment("web", "web:2"), Action.CREATE),
                        change(migrateJob("pre-upgrade", "web:2"), Action.CREATE)),
                TIMEOUT);

        assertThat(result.errors())
                .containsExactly("hook Job db-migrate (charts/web/templates/migrate-job.yaml, pre-upgrade) failed:"
                        + " BackoffLimitExceeded: Job has reached the specified backoff limit");
        assertThat(result.retryable()).as("a failed hook stalls the commit").isFalse();
        assertThat(result.forbidden()).isFalse();
        assertThat(cluster.object(WEB))
                .as("the chart's other objects are not applied")
                .isEmpty();
    }

    @Test
    void aHookJobNotDoneWithinTheTimeoutStopsTheApplyAtTheDeadline() {
        atPause.add(jobCounts(1, 0));

        Applier.ApplyResult result = applier.apply(
                plan(
                        change(deployment("web", "web:2"), Action.CREATE),
                        change(migrateJob("pre-upgrade", "web:2"), Action.CREATE)),
                TIMEOUT);

        assertThat(result.errors())
                .containsExactly("hook Job db-migrate (charts/web/templates/migrate-job.yaml, pre-upgrade) did not"
                        + " complete within 60s (render.helm.timeout): 0 of 1 succeeded, 1 active, 0 failed");
        assertThat(result.retryable()).isFalse();
        assertThat(cluster.object(WEB)).isEmpty();
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus))
                .as("no more than the timeout, in short pauses")
                .isEqualTo(TIMEOUT);
    }

    @Test
    void aHookPodWaitsForPhaseSucceededAndAFailedOneStalls() {
        atPause.add(podPhase("Running"));
        atPause.add(podPhase("Succeeded"));
        Applier.ApplyResult ok = applier.apply(
                plan(change(deployment("web", "web:2"), Action.CREATE), change(seedPod(), Action.CREATE)), TIMEOUT);
        assertThat(ok.errors()).isEmpty();
        assertThat(pauses).hasSize(2);

        cluster.removeFromCluster(SEED);
        pauses.clear();
        atPause.clear();
        atPause.add(c -> c.edit(
                SEED,
                pod -> Tree.ensureMap(pod, "status")
                        .putAll(map(
                                "phase",
                                "Failed",
                                "containerStatuses",
                                List.of(map(
                                        "name",
                                        "seed",
                                        "state",
                                        map("terminated", map("reason", "Error", "exitCode", 1))))))));
        Applier.ApplyResult failed = applier.apply(plan(change(seedPod(), Action.CREATE)), TIMEOUT);
        assertThat(failed.errors())
                .containsExactly("hook Pod seed (charts/web/templates/seed-pod.yaml, post-install) failed: Error"
                        + " (container seed exited 1)");
    }

    @Test
    void aHookJobCreatedAnewIsJudgedByTheNewObjectNotTheOldCompleteOneTheWatchStillShows() {
        Manifest hook = migrateJob("pre-upgrade", "web:2");
        Map<String, Object> previous = managed(migrateJob("pre-upgrade", "web:1"), old -> {
            Tree.ensureMap(old, "metadata").put("uid", "old-uid");
            Tree.ensureMap(old, "status").put("conditions", List.of(map("type", "Complete", "status", "True")));
        });
        cluster.put(MIGRATE, previous);
        Change recreate = new Change(
                hook,
                Action.UPDATE,
                ApplyBody.of(hook, PlanFixtures.APP, false),
                Optional.empty(),
                cluster.get("batch/v1", MIGRATE),
                Optional.empty());
        assertThat(recreate.recreates()).isTrue();
        // a watch that has not yet delivered the delete and the create: it still shows last commit's Job, complete
        LiveObjects lagging = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
                return key.equals(MIGRATE) ? Optional.of(previous) : super.get(apiVersion, key);
            }
        };
        Applier lagged = new Applier(cluster, cluster, DIRECT, new HookWait(lagging, clock, sleeper));

        Applier.ApplyResult result = lagged.apply(plan(recreate), Duration.ofSeconds(2));

        assertThat(cluster.calls()).contains("delete Job/shop/db-migrate");
        assertThat(result.errors())
                .containsExactly("hook Job db-migrate (charts/web/templates/migrate-job.yaml, pre-upgrade) did not"
                        + " complete within 2s (render.helm.timeout): not seen yet");
    }

    @Test
    void aHookPodCreatedAnewIsCreatedOnlyOnceTheOldOneHasTerminated() {
        Map<String, Object> previous = managed(seedPod(), old -> {
            Tree.ensureMap(old, "metadata").put("uid", "old-uid");
            Tree.ensureMap(old, "status").put("phase", "Succeeded");
        });
        cluster.put(SEED, previous);
        Change recreate = new Change(
                seedPod(),
                Action.UPDATE,
                ApplyBody.of(seedPod(), PlanFixtures.APP, false),
                Optional.empty(),
                cluster.get("v1", SEED),
                Optional.empty());
        assertThat(recreate.recreates()).isTrue();
        // the deleted pod terminates gracefully: the watch shows it for two more looks
        int[] looks = {0};
        LiveObjects terminating = new PlanFixtures.DelegatingLive(cluster) {
            @Override
            public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
                return key.equals(SEED) && looks[0]++ < 2 ? Optional.of(previous) : super.get(apiVersion, key);
            }
        };
        int[] pausesAtCreate = {-1};
        cluster.beforeCreate(SEED, () -> pausesAtCreate[0] = pauses.size());
        atPause.add(c -> {});
        atPause.add(c -> {});
        atPause.add(podPhase("Succeeded"));

        Applier.ApplyResult result = new Applier(cluster, cluster, DIRECT, new HookWait(terminating, clock, sleeper))
                .apply(plan(recreate), TIMEOUT);

        assertThat(pausesAtCreate[0]).as("created after the old pod was gone").isEqualTo(2);
        assertThat(result.errors()).isEmpty();
        assertThat(pauses).hasSize(3);
    }

    @Test
    void anUnchangedOrInPlaceHookAndOtherHookKindsAreNotWaitedFor() {
        Manifest inPlace = hookJob(
                "db-migrate",
                map("helm.sh/hook", "pre-upgrade", "helm.sh/hook-delete-policy", "hook-succeeded"),
                map("template", podTemplate("web:1")),
                "charts/web/templates/migrate-job.yaml");
        cluster.put(MIGRATE, managed(inPlace));
        Manifest settings = manifest(
                "v1",
                "ConfigMap",
                NS,
                "settings",
                map(
                        "metadata",
                        map("name", "settings", "namespace", NS, "annotations", map("helm.sh/hook", "pre-install")),
                        "data",
                        map("a", "b")),
                "charts/web/templates/settings.yaml",
                0);
        Change updated = new Change(
                inPlace,
                Action.UPDATE,
                ApplyBody.of(inPlace, PlanFixtures.APP, false),
                Optional.empty(),
                cluster.get("batch/v1", MIGRATE),
                Optional.empty());

        Applier.ApplyResult result = applier.apply(
                plan(updated, change(settings, Action.CREATE), change(deployment("web", "web:2"), Action.CREATE)),
                TIMEOUT);

        assertThat(result.errors()).isEmpty();
        assertThat(pauses)
                .as("nothing to wait for: the Job was not (re)created, a ConfigMap has no end")
                .isEmpty();
        assertThat(cluster.object(WEB)).isPresent();
    }

    @Test
    void aStopRequestEndsTheWaitAsARetryNotAStall() {
        HookWait interrupted = new HookWait(cluster, clock, d -> {
            throw new InterruptedException();
        });
        Applier.ApplyResult result = new Applier(cluster, cluster, DIRECT, interrupted)
                .apply(plan(change(migrateJob("pre-upgrade", "web:2"), Action.CREATE)), TIMEOUT);
        try {
            assertThat(result.retryable()).isTrue();
            assertThat(result.errors())
                    .singleElement()
                    .asString()
                    .startsWith("stopped waiting for hook Job db-migrate");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
