package dev.lockstep.writeback;

import static dev.lockstep.testing.AppWaits.awaitHealthyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.OnFailedRollout;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.config.WriteBackSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.InProcessDaemon;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.RecordingListener;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import dev.lockstep.testing.Workloads;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl rollout undo daemonset/x} and {@code statefulset/x} (real kubectl, real controllers): with
 * {@code onManualRollback: commit} the rollback becomes a commit, as for a Deployment, and the controller keeps the
 * ControllerRevision it reused (no new one); with {@code report} it is left alone and reported, never healed.
 */
@RealCluster
class WorkloadManualRollbackIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path tmp;

    private final RecordingListener events = new RecordingListener();
    private GitRepoFixture person;
    private String remote;
    private InProcessDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (person != null) {
            person.close();
        }
    }

    interface Manifest {
        String of(String name, String image);
    }

    @Test
    void aRolloutUndoOfADaemonSetBecomesACommit(TestCluster cluster) throws Exception {
        undoBecomesACommit(cluster, "agent", "daemonset", Workloads::daemonSet);
    }

    @Test
    void aRolloutUndoOfAStatefulSetBecomesACommit(TestCluster cluster) throws Exception {
        undoBecomesACommit(cluster, "db", "statefulset", Workloads::statefulSet);
    }

    @Test
    void inReportModeARolloutUndoOfADaemonSetIsReportedAndLeftAlone(TestCluster cluster) throws Exception {
        AppReconciler app = start(cluster, OnManualRollback.REPORT);
        String v1 = push("agent", Workloads::daemonSet, "agent:v1", "agent v1");
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        String v2 = push("agent", Workloads::daemonSet, "agent:v2", "image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);

        kubectl(cluster, "rollout", "undo", "daemonset/agent");

        await().atMost(ROLLOUT)
                .untilAsserted(() -> assertThat(events.events())
                        .anySatisfy(e -> assertThat(e)
                                .startsWith("drift agent spec.template")
                                .endsWith(" reported")));
        int mark = events.passes();
        events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three more passes after the report");
        assertThat(image(cluster, "agent")).as("not healed").isEqualTo("agent:v1");
        assertThat(remoteHead().name()).as("nothing pushed").isEqualTo(v2);
        assertThat(events.events())
                .noneSatisfy(e -> assertThat(e).startsWith("drift agent").endsWith(" corrected"));
    }

    private void undoBecomesACommit(TestCluster cluster, String name, String resource, Manifest manifest)
            throws Exception {
        AppReconciler app = start(cluster, OnManualRollback.COMMIT);
        String v1 = push(name, manifest, name + ":v1", name + " v1");
        awaitHealthyAt(app, v1, cluster, ROLLOUT);
        String v2 = push(name, manifest, name + ":v2", "image v2");
        awaitHealthyAt(app, v2, cluster, ROLLOUT);

        kubectl(cluster, "rollout", "undo", resource + "/" + name);

        await().atMost(ROLLOUT)
                .until(() -> fileAt(remoteHead(), "app/" + name + ".yaml").contains("image: " + name + ":v1"));
        RevCommit recorded = remoteHead();
        assertThat(recorded.getShortMessage()).isEqualTo("Revert \"image v2\"");
        String target = "the revision of commit " + v1.substring(0, 7);
        assertThat(recorded.getFullMessage()).contains("rolled back by hand to " + target + " (kubectl rollout undo)");
        awaitHealthyAt(app, recorded.name(), cluster, ROLLOUT);
        int mark = events.passes();
        events.awaitPasses(mark, 3, Duration.ofSeconds(60), "three more passes after the commit");
        assertThat(image(cluster, name)).as("the undo stands").isEqualTo(name + ":v1");
        assertThat(cluster.client()
                        .apps()
                        .controllerRevisions()
                        .inNamespace(cluster.namespace())
                        .list()
                        .getItems())
                .as("v1's ControllerRevision reused, none made")
                .extracting(cr -> cr.getRevision())
                .containsExactlyInAnyOrder(2L, 3L);
        StringWriter history = new StringWriter();
        assertThat(lockstep(cluster, history, "history", name))
                .as(history.toString())
                .isZero();
        assertThat(history.toString())
                .contains("rolled back by hand to " + target + ", recorded as commit "
                        + recorded.name().substring(0, 7));
    }

    private AppReconciler start(TestCluster cluster, OnManualRollback manual) {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        AppSpec hello = TestApps.hello(person, cluster.namespace());
        AppSpec spec = AppSpecs.withWriteBack(
                TestApps.fromRemote(hello, remote, INTERVAL),
                Optional.of(new WriteBackSpec("Lockstep", "lockstep@example.com", Optional.empty())),
                OnFailedRollout.REPORT,
                manual);
        daemon = new InProcessDaemon(cluster.client(), tmp.resolve("cache"), events);
        return daemon.restart(spec);
    }

    private String push(String name, Manifest manifest, String image, String message) {
        person.pull(remote);
        person.write("app/" + name + ".yaml", manifest.of(name, image));
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    private static String image(TestCluster cluster, String name) {
        var sts = cluster.client().apps().statefulSets().withName(name).get();
        var template = sts != null
                ? sts.getSpec().getTemplate()
                : cluster.client()
                        .apps()
                        .daemonSets()
                        .withName(name)
                        .get()
                        .getSpec()
                        .getTemplate();
        return template.getSpec().getContainers().get(0).getImage();
    }

    private RevCommit remoteHead() throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile())) {
            return git.log().setMaxCount(1).call().iterator().next();
        }
    }

    private String fileAt(RevCommit commit, String path) throws Exception {
        try (Git git = Git.open(tmp.resolve("remote.git").toFile());
                var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
            return walk == null
                    ? ""
                    : new String(git.getRepository().open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void kubectl(TestCluster cluster, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "-n", cluster.namespace()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    /** Runs a CLI command with a writeBack config on the remote; stdout then stderr go to {@code out}. */
    private int lockstep(TestCluster cluster, StringWriter out, String... args) throws Exception {
        return WriteBackCli.run(cluster, tmp, remote, out, args);
    }
}
