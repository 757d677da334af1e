package dev.lockstep.reconcile.engine;

import dev.lockstep.cluster.ClusterPort;
import dev.lockstep.cluster.WriteFence;
import dev.lockstep.config.AppSpec;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.PassSteps;
import dev.lockstep.reconcile.pass.SharedHead;
import dev.lockstep.reconcile.report.NotificationListener;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.render.Renderer;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.FakeCluster;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.HelloApp;
import dev.lockstep.testing.TestApps;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One app on a real git repository (over file://) and an in-memory cluster: the pass's steps as the daemon wires them,
 * with a fixed clock and objects applied on the calling thread.
 */
public final class PassFixture implements AutoCloseable {
    public static final String NS = "shop";
    public static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    public static final ResourceKey DEPLOYMENT = ResourceKey.of("apps/v1", "Deployment", NS, "hello-app");
    public static final ResourceKey SERVICE = ResourceKey.of("v1", "Service", NS, "hello-app");
    public static final ResourceKey CONFIG = ResourceKey.of("v1", "ConfigMap", NS, "settings");

    public final GitRepoFixture repo;
    public final Optional<String> remote;
    public final FakeCluster cluster = new FakeCluster();
    /** Open by default; a test closes it to play a replica that lost leadership (its writes are refused). */
    public final AtomicReference<WriteFence> leadership = new AtomicReference<>(WriteFence.OPEN);
    /** The fixture's clock: {@link #NOW} until a test moves it on. */
    public final AtomicReference<Instant> now = new AtomicReference<>(NOW);

    private final WriteFence fence = () -> leadership.get().mayWrite();
    public final HeardListener listener = new HeardListener();
    public final AppSpec app;
    public final GitSource git;
    public final PassSteps.Shared shared;
    private final java.nio.file.Path renderDir;
    public final PassSteps steps;

    public PassFixture(Path tmp) {
        this(tmp, UnaryOperator.identity());
    }

    public PassFixture(Path tmp, UnaryOperator<AppSpec> tweak) {
        this(tmp, tweak, Optional.empty());
    }

    /**
     * @param remote when present, the app follows this bare repository and {@link #repo} is a person's clone that
     *     pushes to it (for write-back, which pushes too)
     */
    private PassFixture(Path tmp, UnaryOperator<AppSpec> tweak, Optional<String> remote) {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        this.remote = remote;
        AppSpec hello = TestApps.hello(repo, NS);
        AppSpec followed = remote.map(url -> AppSpecs.of(
                        hello.name(),
                        new RepoSpec(url, "main"),
                        hello.path(),
                        hello.namespace(),
                        hello.interval(),
                        hello.prune(),
                        hello.selfHeal(),
                        hello.allowedNamespaces(),
                        hello.allowedClusterKinds(),
                        hello.maxPruneShare(),
                        hello.allowMassPrune()))
                .orElse(hello);
        app = tweak.apply(followed);
        git = new GitSource(app.repo(), tmp.resolve("cache"));
        ClusterPort used = cluster.port().fencedBy(fence);
        Executor direct = Runnable::run;
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        renderDir = tmp.resolve("render");
        Renderer renderer = new Renderer(new KustomizeRenderer(renderDir, new KustomizeTools()), clock);
        shared = PassSteps.Shared.of(
                used,
                app.serviceAccount().map(used.objects()::as).orElse(used.objects()),
                new ManifestLoader(),
                renderer,
                direct,
                clock);
        steps = PassSteps.of(app, new SharedHead(git), shared);
    }

    /** The app follows a bare remote that {@link #repo} (a person) pushes to, and Lockstep may push to as well. */
    public static PassFixture withRemote(Path tmp, UnaryOperator<AppSpec> tweak) {
        return new PassFixture(tmp, tweak, Optional.of(GitRepoFixture.bareRemote(tmp.resolve("remote.git"))));
    }

    /** Pushes the person's commits when the app follows a bare remote; returns the head. */
    public String publish(String head) {
        remote.ifPresent(url -> {
            if (!repo.push(url)) {
                throw new IllegalStateException("push refused");
            }
        });
        return head;
    }

    public AppReconciler reconciler() {
        return new AppReconciler(app, steps, shared, listener);
    }

    /** With notifications: {@code notifications} hears the pass as a listener too, and is settled after it. */
    public AppReconciler reconciler(NotificationListener notifications) {
        return new AppReconciler(
                app, steps, shared, ReconcileListener.all(List.of(listener, notifications)), notifications);
    }

    /** A new process for the same app and cluster whose clock reads {@code now}: it knows only what the cluster keeps. */
    public AppReconciler restartedAt(Instant now) {
        ClusterPort used = cluster.port().fencedBy(fence);
        PassSteps.Shared later = PassSteps.Shared.of(
                used,
                app.serviceAccount().map(used.objects()::as).orElse(used.objects()),
                new ManifestLoader(),
                new Renderer(new KustomizeRenderer(renderDir, new KustomizeTools()), Clock.fixed(now, ZoneOffset.UTC)),
                Runnable::run,
                Clock.fixed(now, ZoneOffset.UTC));
        return new AppReconciler(app, PassSteps.of(app, new SharedHead(git), later), later, listener);
    }

    /** Commits hello-app at {@code image} with its Service, and a ConfigMap. */
    public String commitApp(String image, String message) {
        remote.ifPresent(repo::pull); // take what Lockstep pushed first, as a person would
        repo.write("app/deployment.yaml", HelloApp.deployment(image));
        repo.write("app/service.yaml", HelloApp.service(0));
        repo.write("app/config.yaml", HelloApp.configMap("settings", "1"));
        return publish(repo.commit(message));
    }

    @Override
    public void close() {
        git.close();
        repo.close();
    }
}
