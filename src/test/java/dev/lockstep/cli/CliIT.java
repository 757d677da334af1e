package dev.lockstep.cli;

import static dev.lockstep.testing.HelloApp.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot commands against a real API server: what a user reads and the exit code. */
@RealCluster
class CliIT {
    @TempDir
    Path tmp;

    private Path config(TestCluster cluster, GitRepoFixture repo) throws Exception {
        return TestApps.writeConfigFile(tmp, cluster.namespace(), repo);
    }

    private static CliTest.Result lockstep(TestCluster cluster, Path config, String command, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = command;
        args[1] = "--config";
        args[2] = config.toString();
        args[3] = "--kubeconfig";
        args[4] = cluster.kubeconfig().toString();
        System.arraycopy(more, 0, args, 5, more.length);
        return CliTest.run(args);
    }

    @Test
    void syncRollsOutDiffShowsTheNextCommitAndStatusTellsWhereTheClusterIs(TestCluster cluster) throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/secret.yaml", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: db}
                        stringData: {password: hunter2}
                        """);
        String v1 = repo.commit("hello-app v1");
        Path config = config(cluster, repo);

        CliTest.Result sync = lockstep(cluster, config, "sync");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out())
                .contains("Deployment/" + cluster.namespace() + "/hello-app created")
                .contains("app hello: applied at commit " + v1.substring(0, 7) + " \"hello-app v1\"")
                .contains("deployment \"hello-app\" successfully rolled out")
                .doesNotContain("hunter2");

        CliTest.Result same = lockstep(cluster, config, "diff");
        assertThat(same.code()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).isEmpty();

        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"))
                .write(
                        "app/secret.yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: swordfish}\n");
        String v2 = repo.commit("image v2, new password");
        CliTest.Result diff = lockstep(cluster, config, "diff");
        assertThat(diff.code()).isEqualTo(ExitCode.FAILED);
        assertThat(diff.out())
                .contains("--- live/Deployment/" + cluster.namespace() + "/hello-app")
                .contains("-        image: 080196/hello-app:v1")
                .contains("+        image: 080196/hello-app:v2")
                .contains("+  password: '*** (changed)'")
                .doesNotContain("swordfish")
                .doesNotContain("hunter2")
                .doesNotContain("aHVudGVyMg");

        CliTest.Result behind = lockstep(cluster, config, "status");
        assertThat(behind.code()).isEqualTo(ExitCode.FAILED);
        assertThat(behind.out())
                .contains("app hello: cluster at " + v1.substring(0, 7) + ", git head " + v2.substring(0, 7)
                        + " (behind)");

        assertThat(lockstep(cluster, config, "sync").code()).isZero();
        CliTest.Result status = lockstep(cluster, config, "status");
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out())
                .contains("cluster at " + v2.substring(0, 7) + ", git head " + v2.substring(0, 7) + "\n")
                .contains("deployment " + cluster.namespace()
                        + "/hello-app: Healthy, revision 2: deployment \"hello-app\" successfully rolled out");
    }

    @Test
    void syncExitsOneWhenTheRolloutFailsAndThreeWhenTheCommitIsRefused(TestCluster cluster) throws Exception {
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v3"));
        repo.commit("image v3");
        Path config = config(cluster, repo);

        CliTest.Result failed = lockstep(cluster, config, "sync", "--timeout", "60s");
        assertThat(failed.code()).as(failed.out()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.out()).contains("deployment \"hello-app\" exceeded its progress deadline");

        repo.write("app/broken.yaml", "kind: ConfigMap\nmetadata:\n  name: x\n");
        String bad = repo.commit("forgot apiVersion");
        CliTest.Result refused = lockstep(cluster, config, "sync");
        assertThat(refused.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(refused.out())
                .contains("commit " + bad.substring(0, 7) + ": app/broken.yaml:1: ")
                .contains("apiVersion");
    }

    @Test
    void manyObjectsSyncWithOneProgressLineAndAFreshSyncOrDiffOfAnInSyncAppSendsNoDryRunAndNoWrite(TestCluster cluster)
            throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        for (int i = 0; i < 12; i++) {
            repo.write("app/web-" + i + ".yaml", deployment("web-" + i, "080196/hello-app:v1", 1));
        }
        String v1 = repo.commit("twelve deployments");
        Path config = config(cluster, repo);

        CliTest.Result sync = lockstep(cluster, config, "sync");
        assertThat(sync.code()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out())
                .contains("app hello: 12 created, 0 configured, 0 pruned (-v shows each)")
                .contains("app hello: applied at commit " + v1.substring(0, 7))
                .contains("sent 12 dry runs and ")
                .contains("rolled out 12/12, 0 failed")
                .doesNotContain("successfully rolled out");
        assertThat(sync.out().lines().filter(l -> l.endsWith(" created")))
                .as("object lines without -v")
                .hasSize(ConsoleListener.HANDFUL);

        CliTest.Result again = lockstep(cluster, config, "sync");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out())
                .contains("app hello: unchanged at commit " + v1.substring(0, 7))
                .contains("sent 0 dry runs and 0 writes");

        CliTest.Result diff = lockstep(cluster, config, "diff", "-v");
        assertThat(diff.code()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.out()).isEqualTo("sent 0 dry runs and 0 writes\n");

        cluster.client().apps().deployments().withName("web-3").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("080196/hello-app:v2");
            return d;
        });
        CliTest.Result drifted = lockstep(cluster, config, "diff", "-v");
        assertThat(drifted.code()).isEqualTo(ExitCode.FAILED);
        assertThat(drifted.out())
                .contains("-        image: 080196/hello-app:v2")
                .contains("sent 1 dry run and 0 writes");
    }
}
