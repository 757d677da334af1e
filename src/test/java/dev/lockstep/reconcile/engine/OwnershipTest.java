package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cluster.KubeEvent;
import dev.lockstep.config.AppSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.EventReporter;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.TestApps;
import dev.lockstep.util.Tree;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per object, for two apps of one daemon that both declare ConfigMap "shared": racing creates write it once,
 * and an object the other app took is reported, never restored.
 */
class OwnershipTest {
    private static final String NS = "shop";
    private static final ResourceKey SHARED = ResourceKey.of("v1", "ConfigMap", NS, "shared");

    @TempDir
    Path tmp;

    private final FakeCluster cluster = new FakeCluster();
    /** Every stored write of ConfigMap "shared" (each gives it a new resourceVersion). */
    private final AtomicInteger writes = new AtomicInteger();
    /** The Kubernetes Events the apps post. */
    private final List<KubeEvent> events = new CopyOnWriteArrayList<>();

    private GitRepoFixture repo;
    private Engine engine;
    private AppReconciler hello;
    private AppReconciler other;

    @BeforeEach
    void twoAppsDeclaringOneConfigMap() {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("hello/shared.yaml", configMap("shared", "from hello"))
                .write("other/shared.yaml", configMap("shared", "from other"));
        repo.commit("two apps, one copy-pasted ConfigMap");
        engine = new Engine(
                new LockstepConfig(
                        List.of(app("hello"), app("other")), tmp.resolve("cache"), NS, 0, Optional.empty(), 4),
                cluster.port(),
                new EventReporter(events::add, NS),
                Clock.systemUTC());
        hello = engine.apps().get(0);
        other = engine.apps().get(1);
        cluster.onChange(key -> {
            if (key.equals(SHARED) && cluster.object(SHARED).isPresent()) {
                writes.incrementAndGet();
            }
        });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private AppSpec app(String name) {
        AppSpec hello = TestApps.hello(repo, NS);
        return AppSpecs.of(
                name,
                new RepoSpec(repo.url(), "main"),
                name,
                NS,
                Duration.ofSeconds(1),
                true,
                true,
                hello.allowedNamespaces(),
                hello.allowedClusterKinds(),
                0.5,
                false);
    }

    private String owner() {
        return Tree.string(cluster.object(SHARED).orElseThrow(), "metadata", "labels", MetadataKeys.APP)
                .orElseThrow();
    }

    private String value() {
        return Tree.string(cluster.object(SHARED).orElseThrow(), "data", "value")
                .orElseThrow();
    }

    @Test
    void twoCreatesOfOneObjectInTheirFirstPassesWriteItOnceAndTheLaterAppIsRefusedNamingBoth() {
        // Both passes plan a create; app other's whole pass lands between hello's plan and hello's create.
        cluster.beforeCreate(SHARED, () -> assertThat(other.reconcile()).isEqualTo(PassOutcome.APPLIED));

        assertThat(hello.reconcile())
                .as("hello's create meets the object other created: it fails instead of taking it")
                .isEqualTo(PassOutcome.RETRY);
        assertThat(writes).as("writes of ConfigMap shared").hasValue(1);
        assertThat(owner()).isEqualTo("other");
        assertThat(hello.status().errors())
                .singleElement()
                .asString()
                .contains("create " + SHARED + " failed: it exists by now");

        assertThat(hello.reconcile()).as("judged again: other owns it").isEqualTo(PassOutcome.STALLED);
        for (int i = 0; i < 10; i++) {
            hello.reconcile();
            other.reconcile();
        }

        assertThat(writes).as("writes of ConfigMap shared after 20 more passes").hasValue(1);
        assertThat(owner()).isEqualTo("other");
        assertThat(value()).isEqualTo("from other");
        assertThat(hello.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(hello.status().errors())
                .singleElement()
                .asString()
                .contains(SHARED + " belongs to app other")
                .contains("app hello may not take it");
        assertThat(other.status().errors()).isEmpty();
        assertThat(other.status().health()).isEqualTo(AppHealth.HEALTHY);
    }

    @Test
    void anObjectAnotherAppTookIsReportedOnceNamingBothAndNeverRestored() {
        assertThat(hello.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(writes).hasValue(1);
        // Another writer of app "other" (another replica, a daemon of its own) takes the object over.
        cluster.edit(SHARED, live -> {
            Tree.ensureMap(live, "metadata", "labels").put(MetadataKeys.APP, "other");
            Tree.ensureMap(live, "data").put("value", "from other");
        });

        try (LogCapture log = new LogCapture("dev.lockstep")) {
            for (int i = 0; i < 10; i++) {
                assertThat(hello.reconcile()).isEqualTo(PassOutcome.UNCHANGED);
            }
            assertThat(writes)
                    .as("writes of ConfigMap shared over 10 passes after the takeover")
                    .hasValue(2);
            assertThat(owner()).isEqualTo("other");
            assertThat(value()).isEqualTo("from other");
            String conflict = SHARED + " belongs to app other now (its lockstep.dev/app label): app hello declares it"
                    + " too and does not take it back";
            assertThat(hello.status().health()).isEqualTo(AppHealth.STALLED);
            assertThat(hello.status().errors()).singleElement().asString().contains(conflict);
            assertThat(log.lines()).filteredOn(l -> l.contains(conflict)).hasSize(1);
            assertThat(log.lines()).noneMatch(l -> l.contains("drift on " + SHARED));
            assertThat(events)
                    .filteredOn(e -> e.name().equals("shared") && !e.reason().equals("Applied"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo("OwnershipConflict");
                        assertThat(e.type()).isEqualTo(KubeEvent.WARNING);
                        assertThat(e.message()).contains(conflict);
                    });
        }

        // Once app other lets go of it (its prune deletes it), hello restores its own version.
        cluster.removeFromCluster(SHARED);
        assertThat(hello.reconcile()).isEqualTo(PassOutcome.HEALED);
        assertThat(owner()).isEqualTo("hello");
        assertThat(value()).isEqualTo("from hello");
        assertThat(hello.status().errors()).isEmpty();
        assertThat(hello.status().health()).isEqualTo(AppHealth.HEALTHY);
    }

    @Test
    void aCreateGoesOutAsAnApplyThatOnlyCreatesWhileAnObjectTheDryRunSawIsAdoptedByAPlainApply() {
        Map<String, Object> unlabelled = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "ConfigMap",
                "metadata",
                Map.of("name", "shared", "namespace", NS, "resourceVersion", "7"),
                "data",
                Map.of("value", "made with kubectl"));
        cluster.put(SHARED, unlabelled); // outside the watch cache (no Lockstep label), seen by the dry run

        assertThat(hello.reconcile())
                .as("an existing object without an owner is adopted")
                .isEqualTo(PassOutcome.APPLIED);
        assertThat(owner()).isEqualTo("hello");
        assertThat(value()).isEqualTo("from hello");
    }
}
