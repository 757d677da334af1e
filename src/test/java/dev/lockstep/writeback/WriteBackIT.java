package dev.lockstep.writeback;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.git.SecretSource;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lockstep writes git too, on the real API server and a real git remote (a bare repository over file://): a failed
 * rollout reverts itself, a manual {@code kubectl rollout undo} becomes a commit, {@code lockstep rollback} pushes one.
 */
@RealCluster
class WriteBackIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Optional<WriteBackSpec> WRITE_BACK =
            Optional.of(new WriteBackSpec("Lockstep", "lockstep@example.com", Optional.empty()));

    @TempDir
    Path tmp;

    private final RecordingListener events = new RecordingListener();
    private GitRepoFixture person;
    private String remote;
    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        stopDaemon();
        if (person != null) {
            person.close();
        }
    }

    private AppSpec app(TestCluster cluster, OnFailedRollout failed, OnManualRollback manual) {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        AppSpec hello = TestApps.hello(person, cluster.namespace());
        return AppSpecs.withWriteBack(TestApps.fromRemote(hello, remote, INTERVAL), WRITE_BACK, failed, manual);
    }

    private AppReconciler startDaemon(TestCluster cluster, AppSpec app) {
        if (daemon == null) {
            daemon = new InProcessDaemon(cluster.client(), tmp.resolve("cache"), events);
        }
        return daemon.restart(app);
    }

    private void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private String push(String image, String message) {
        person.pull(remote);
        person.write("app/deployment.yaml", deployment("080196/hello-app:" + image))
                .write("app/service.yaml", service(0));
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    /** v1 and v2 rolled out, v3 pushed and (its image never ready) bound to fail. */
    private AppReconciler seedStoryUpToV3(TestCluster cluster, AppSpec spec) {
        cluster.keepImagesUnready(".*:v3$");
        String v1 = push("v1", "hello-app v1");
        AppReconciler app = startDaemon(cluster, spec);
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        String v2 = push("v2", "image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);
        push("v3", "image v3");
        return app;
    }

    /** The remote's branch, newest first. */
    private List<RevCommit> remoteLog() throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile())) {
            List<RevCommit> out = new java.util.ArrayList<>();
            git.log().call().forEach(out::add);
            return out;
        }
    }

    private RevCommit remoteHead() throws Exception {
        return remoteLog().get(0);
    }

    private String fileAt(RevCommit commit, String path) throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile());
                var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
            return new String(git.getRepository().open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<Long, ReplicaSet> replicaSets(TestCluster cluster) {
        Map<Long, ReplicaSet> out = new TreeMap<>();
        for (ReplicaSet rs : cluster.client().apps().replicaSets().list().getItems()) {
            out.put(Long.parseLong(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")), rs);
        }
        return out;
    }

    private static String image(ReplicaSet rs) {
        return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private String lockstep(TestCluster cluster, String... args) throws Exception {
        StringWriter out = new StringWriter();
        int code = WriteBackCli.run(cluster, tmp, remote, out, args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    @Test
    void aFailedRolloutRevertsItselfOnceAndTheV2ReplicaSetIsReused(TestCluster cluster) throws Exception {
        AppSpec spec = app(cluster, OnFailedRollout.REVERT, OnManualRollback.HEAL);
        AppReconciler app = seedStoryUpToV3(cluster, spec);

        await().atMost(ROLLOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> remoteHead().getShortMessage().equals("Revert \"image v3\""));
        RevCommit revert = remoteHead();
        awaitHealthyAt(app, revert.name(), cluster, ROLLOUT);

        assertThat(remoteLog())
                .filteredOn(c -> c.getShortMessage().startsWith("Revert"))
                .hasSize(1);
        assertThat(revert.getAuthorIdent().getName()).isEqualTo("Lockstep");
        Map<Long, ReplicaSet> sets = replicaSets(cluster);
        assertThat(sets.keySet()).containsExactly(1L, 3L, 4L);
        assertThat(image(sets.get(4L))).isEqualTo("080196/hello-app:v2");
        assertThat(sets.get(4L).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision-history", "2");
        assertThat(lockstep(cluster, "history", "hello-app"))
                .contains("Revert \"image v3\"")
                .contains("automatic: rollout of " + remoteLog().get(1).name().substring(0, 7) + " failed");

        // a restarted daemon reads the record: nothing more is pushed
        stopDaemon();
        startDaemon(cluster, spec);
        int mark = events.passes();
        events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three passes of the restarted daemon");
        assertThat(remoteHead().name()).isEqualTo(revert.name());
        assertThat(remoteLog())
                .filteredOn(c -> c.getShortMessage().startsWith("Revert"))
                .hasSize(1);
    }

    @Test
    void aManualRolloutUndoBecomesACommitWithinTwoIntervalsAndV3NeverComesBack(TestCluster cluster) throws Exception {
        AppSpec spec = app(cluster, OnFailedRollout.REPORT, OnManualRollback.COMMIT);
        AppReconciler app = seedStoryUpToV3(cluster, spec);
        await().atMost(ROLLOUT).until(() -> app.status().health() == AppHealth.FAILED);
        List<String> imagesSeen = new CopyOnWriteArrayList<>();

        try (Watch watch = cluster.client()
                .apps()
                .deployments()
                .withName("hello-app")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                        imagesSeen.add(d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            int passesBeforeUndo = events.passes();
            kubectl(cluster, "rollout", "undo", "deployment/hello-app", "--to-revision=2");
            long undone = System.nanoTime();
            // Counted in passes, not seconds (a loaded machine stretches both the interval and each pass); the time
            // taken is printed
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> fileAt(remoteHead(), "app/deployment.yaml").contains("hello-app:v2"));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - undone);
            int passes = events.passes() - passesBeforeUndo;
            System.out.printf(
                    "write-back: kubectl rollout undo became a commit in %d ms, %d passes finished meanwhile (interval"
                            + " %s)%n",
                    took, passes, INTERVAL);
            // the pass that records it (counted if it finished before the poll saw the push), one under way during
            // the undo, and one whose watch had not delivered the undo yet
            assertThat(passes).as("passes finished from the undo to its commit").isLessThanOrEqualTo(3);
            RevCommit recorded = remoteHead();
            awaitHealthyAt(app, recorded.name(), cluster, ROLLOUT);
            int mark = events.passes();
            events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three more passes after the commit");

            assertThat(recorded.getShortMessage()).isEqualTo("Revert \"image v3\"");
            assertThat(recorded.getFullMessage()).contains("rolled back by hand to revision 2 (kubectl rollout undo)");
            assertThat(replicaSets(cluster)).as("no new ReplicaSet").hasSize(3);
            int undoAt = imagesSeen.indexOf("080196/hello-app:v2");
            assertThat(imagesSeen.subList(undoAt, imagesSeen.size()))
                    .as("v3 never back, in " + took + " ms")
                    .doesNotContain("080196/hello-app:v3");
            assertThat(lockstep(cluster, "history", "hello-app"))
                    .contains("rolled back by hand to revision 2, recorded as commit "
                            + recorded.name().substring(0, 7));
        }
    }

    @Test
    void lockstepRollbackPushesTheCommitAndTheDaemonReusesTheOldReplicaSet(TestCluster cluster) throws Exception {
        AppSpec spec = app(cluster, OnFailedRollout.REPORT, OnManualRollback.HEAL);
        AppReconciler app = seedStoryUpToV3(cluster, spec);
        await().atMost(ROLLOUT).until(() -> app.status().health() == AppHealth.FAILED);
        String v3 = remoteHead().name();

        String dryRun = lockstep(cluster, "rollback", "hello-app", "--to-revision", "2", "--dry-run");
        assertThat(dryRun)
                .contains("would push onto " + v3.substring(0, 7) + ": Revert \"image v3\"")
                .contains("-          image: 080196/hello-app:v3")
                .contains("+          image: 080196/hello-app:v2");
        assertThat(remoteHead().name()).isEqualTo(v3);

        String pushed = lockstep(cluster, "rollback", "hello-app", "--to-revision", "2");

        RevCommit commit = remoteHead();
        assertThat(pushed).startsWith("pushed " + commit.name().substring(0, 7) + " Revert \"image v3\"");
        awaitHealthyAt(app, commit.name(), cluster, ROLLOUT);
        Map<Long, ReplicaSet> sets = replicaSets(cluster);
        assertThat(sets.keySet()).containsExactly(1L, 3L, 4L);
        assertThat(sets.get(4L).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision-history", "2");
    }

    @Test
    void overHttpWithCredentialsAPushTheRemoteRefusesIsReportedAndNeverForced(TestCluster cluster) throws Exception {
        AppSpec local = app(cluster, OnFailedRollout.REVERT, OnManualRollback.HEAL);
        try (Repository bare = Git.open(tmp.resolve("remote.git").toFile()).getRepository();
                GitHttpServer server = GitHttpServer.start(bare)) {
            server.setPassword(GitCredentials.TOKEN_USERNAME, "deploy-t0ken");
            server.preReceive((pack, commands) -> commands.forEach(c -> c.setResult(
                    ReceiveCommand.Result.REJECTED_OTHER_REASON, "main is protected: changes need a pull request")));
            Path token = Files.writeString(tmp.resolve("token"), "deploy-t0ken\n");
            RepoSpec http = new RepoSpec(
                    "http://127.0.0.1:" + server.port() + "/remote.git",
                    "main",
                    GitCredentials.token(SecretSource.file(token)));
            AppSpec spec = AppSpecs.withWriteBack(
                    AppSpecs.of(
                            local.name(),
                            http,
                            local.path(),
                            local.namespace(),
                            local.interval(),
                            true,
                            true,
                            Set.of(),
                            Set.of(),
                            0.5,
                            false),
                    local.writeBack(),
                    local.onFailedRollout(),
                    local.onManualRollback());
            AppReconciler app = seedStoryUpToV3(cluster, spec); // people push over file://, Lockstep over http
            String v3 = remoteHead().name();

            await().atMost(ROLLOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(app.status().errors())
                            .anySatisfy(e -> assertThat(e)
                                    .startsWith("write-back: the push of the revert of " + v3.substring(0, 7)
                                            + " was refused (")
                                    .contains("main is protected")
                                    .endsWith("nothing forced")));

            assertThat(app.status().health()).isEqualTo(AppHealth.FAILED);
            assertThat(remoteHead().name()).isEqualTo(v3);
            assertThat(app.status().errors()).noneMatch(e -> e.contains("deploy-t0ken"));
            int mark = events.passes();
            events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three more passes after the refusal");
            assertThat(remoteHead().name())
                    .as("decided once: no retry loop, nothing forced")
                    .isEqualTo(v3);
        }
    }

    private static void kubectl(TestCluster cluster, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(
                List.of("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "-n", cluster.namespace()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
