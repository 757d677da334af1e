package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.testing.GitHttpServer;
import dev.lockstep.testing.GitRepoFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lockstep's own commits against real remotes: a bare repository over file://, the smart-HTTP server with
 * credentials, and a remote whose pre-receive hook refuses the push. Trees are compared with what git itself makes.
 */
class CommitWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private GitRepoFixture person;
    private String remote;
    private GitSource source;

    @BeforeEach
    void setUp() {
        remote = GitRepoFixture.bareRemote(tmp.resolve("remote.git"));
        person = GitRepoFixture.create(tmp.resolve("person"));
        source = new GitSource(new RepoSpec(remote, "main"), tmp.resolve("cache"));
    }

    @AfterEach
    void tearDown() {
        source.close();
        person.close();
    }

    private String commitImage(String image, String message) {
        person.write("app/deployment.yaml", "image: " + image + "\n").write("app/service.yaml", "port: 80\n");
        String sha = person.commit(message);
        assertThat(person.push(remote)).isTrue();
        return sha;
    }

    private CommitWriter writer(Optional<Path> key) {
        return new CommitWriter(source, "Lockstep", "lockstep@example.com", key, CLOCK);
    }

    @Test
    void aRevertHasTheTreeGitRevertMakesAndIsPushedAsAFastForward() throws Exception {
        commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");
        String v3 = commitImage("v3", "image v3");
        String head = source.fetch().commit();

        String revert = writer(Optional.empty())
                .revert(head, List.of(v3), "Revert \"image v3\"\n\nThis reverts commit " + v3 + ".\n")
                .orElseThrow();
        GitSource.PushOutcome pushed = source.push(revert);

        assertThat(pushed).isEqualTo(new GitSource.PushOutcome.Pushed(revert));
        assertThat(source.remoteHead()).isEqualTo(revert);
        RevCommit made = commit(revert);
        assertThat(made.getParent(0).name()).isEqualTo(v3);
        assertThat(made.getAuthorIdent().getName()).isEqualTo("Lockstep");
        assertThat(made.getCommitterIdent().getEmailAddress()).isEqualTo("lockstep@example.com");
        assertThat(made.getFullMessage()).isEqualTo("Revert \"image v3\"\n\nThis reverts commit " + v3 + ".\n");
        assertThat(made.getTree().name()).isEqualTo(commit(v2).getTree().name());
        assertThat(made.getTree().name()).isEqualTo(treeOfNativeGitRevert(v3));
    }

    @Test
    void aRevertThatDoesNotApplyCleanlyMakesNothing() throws Exception {
        commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");
        String v3 = commitImage("v3", "image v3"); // the same line again: reverting v2 now conflicts

        Optional<String> revert = writer(Optional.empty()).revert(source.fetch().commit(), List.of(v2), "Revert");

        assertThat(revert).isEmpty();
        assertThat(source.remoteHead()).isEqualTo(v3);
    }

    @Test
    void severalCommitsAreRevertedNewestFirstIntoOne() throws Exception {
        String v1 = commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");
        String v3 = commitImage("v3", "image v3");

        String revert = writer(Optional.empty())
                .revert(source.fetch().commit(), List.of(v3, v2), "Back to v1")
                .orElseThrow();

        assertThat(commit(revert).getTree().name())
                .isEqualTo(commit(v1).getTree().name());
    }

    @Test
    void aFileIsRestoredAsItWasAtAnOlderCommitAndNothingElseChanges() throws Exception {
        String v1 = commitImage("v1", "hello-app v1");
        commitImage("v2", "image v2");
        person.write("app/service.yaml", "port: 8080\n");
        String head = person.commit("service port");
        person.push(remote);
        source.fetch();

        String restored = writer(Optional.empty()).restore(head, v1, "app/deployment.yaml", "restore");

        assertThat(file(restored, "app/deployment.yaml")).isEqualTo("image: v1\n");
        assertThat(file(restored, "app/service.yaml")).isEqualTo("port: 8080\n");
        assertThat(writer(Optional.empty()).diff(head, restored))
                .contains("-image: v2")
                .contains("+image: v1")
                .doesNotContain("service.yaml");
    }

    @Test
    void aPushThatIsNoLongerAFastForwardIsRefusedNeverForced() throws Exception {
        commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");
        String revert = writer(Optional.empty())
                .revert(source.fetch().commit(), List.of(v2), "Revert \"image v2\"")
                .orElseThrow();
        String v3 = commitImage("v3", "image v3"); // someone pushed meanwhile

        GitSource.PushOutcome outcome = source.push(revert);

        assertThat(outcome).isInstanceOf(GitSource.PushOutcome.Refused.class);
        assertThat(((GitSource.PushOutcome.Refused) outcome).reason()).contains("not a fast-forward");
        assertThat(source.remoteHead()).isEqualTo(v3);
    }

    @Test
    void aHookThatRefusesThePushOverHttpWithCredentialsIsReportedWithItsReason() throws Exception {
        commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");
        try (Repository bare = Git.open(tmp.resolve("remote.git").toFile()).getRepository();
                GitHttpServer server = GitHttpServer.start(bare)) {
            server.setPassword(GitCredentials.TOKEN_USERNAME, "s3cret-token");
            server.preReceive((pack, commands) -> commands.forEach(
                    c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "branch main is protected")));
            Path token = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
            String url = "http://127.0.0.1:" + server.port() + "/remote.git";
            try (GitSource http = new GitSource(
                    new RepoSpec(url, "main", GitCredentials.token(SecretSource.file(token))),
                    tmp.resolve("http-cache"))) {
                CommitWriter writer =
                        new CommitWriter(http, "Lockstep", "lockstep@example.com", Optional.empty(), CLOCK);
                String revert = writer.revert(http.fetch().commit(), List.of(v2), "Revert")
                        .orElseThrow();

                GitSource.PushOutcome outcome = http.push(revert);

                assertThat(outcome).isInstanceOf(GitSource.PushOutcome.Refused.class);
                assertThat(((GitSource.PushOutcome.Refused) outcome).reason())
                        .contains("branch main is protected")
                        .doesNotContain("s3cret-token");
                assertThat(http.remoteHead()).isEqualTo(v2);

                server.preReceive(org.eclipse.jgit.transport.PreReceiveHook.NULL);
                assertThat(http.push(revert)).isEqualTo(new GitSource.PushOutcome.Pushed(revert));
                assertThat(http.remoteHead()).isEqualTo(revert);
            }
        }
    }

    @Test
    void aSignedCommitIsAcceptedByGitsOwnSshSignatureVerification() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is needed to make a test key");
        Path key = tmp.resolve("signing_key");
        run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lockstep", "-f", key.toString());
        String publicKey = Files.readString(tmp.resolve("signing_key.pub")).strip();
        Path allowed = Files.writeString(tmp.resolve("allowed_signers"), "lockstep@example.com " + publicKey + "\n");
        commitImage("v1", "hello-app v1");
        String v2 = commitImage("v2", "image v2");

        String revert = writer(Optional.of(key))
                .revert(source.fetch().commit(), List.of(v2), "Revert")
                .orElseThrow();
        source.push(revert);

        String verified = run(
                tmp.resolve("remote.git"),
                "git",
                "-c",
                "gpg.format=ssh",
                "-c",
                "gpg.ssh.allowedSignersFile=" + allowed,
                "verify-commit",
                "-v",
                revert);
        assertThat(verified).contains("Good \"git\" signature for lockstep@example.com");
    }

    private RevCommit commit(String sha) throws IOException {
        try (Repository repo = Git.open(source.repositoryDirectory().toFile()).getRepository();
                RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            walk.parseBody(c);
            for (RevCommit p : c.getParents()) {
                walk.parseHeaders(p);
            }
            return c;
        }
    }

    private String file(String sha, String path) throws IOException {
        try (Repository repo = Git.open(source.repositoryDirectory().toFile()).getRepository();
                RevWalk walk = new RevWalk(repo);
                TreeWalk tw = TreeWalk.forPath(
                        repo, path, walk.parseCommit(ObjectId.fromString(sha)).getTree())) {
            return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What a person gets from {@code git revert --no-edit <commit>} in their own clone, with git itself. */
    private String treeOfNativeGitRevert(String commit) throws Exception {
        Path clone = tmp.resolve("native");
        run(tmp, "git", "clone", "-q", remote, clone.toString());
        run(clone, "git", "checkout", "-q", "-b", "person", commit);
        run(clone, "git", "-c", "user.name=P", "-c", "user.email=p@example.com", "revert", "--no-edit", commit);
        return run(clone, "git", "rev-parse", "HEAD^{tree}").strip();
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
