package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceTest {

    @TempDir
    Path tmp;

    TestRepo remote;
    Path cache;

    @BeforeEach
    void setUp() throws Exception {
        remote = TestRepo.create(tmp.resolve("remote"));
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void tearDown() {
        remote.close();
    }

    private GitSource source() {
        return new GitSource(new RepoSpec(remote.url()), cache);
    }

    private static String text(SourceFile f) {
        return new String(f.content(), StandardCharsets.UTF_8);
    }

    @Test
    void remoteHeadIsThePushedCommitAndFollowsNewCommits() throws Exception {
        RevCommit first = remote.write("apps/hello/deploy.yaml", "v1").commit("v1");
        try (GitSource source = source()) {
            assertThat(source.remoteHead()).isEqualTo(first.name());

            RevCommit second = remote.write("apps/hello/deploy.yaml", "v2").commit("image v2");
            assertThat(source.remoteHead()).isEqualTo(second.name());
            // ls-remote transfers nothing: the cache repository was not even created
            assertThat(source.repositoryDirectory()).doesNotExist();
        }
    }

    @Test
    void fetchDescribesTheHeadCommit() throws Exception {
        RevCommit c = remote.write("a.yaml", "x").commit("image v2\n\nBump the image.\n");
        try (GitSource source = source()) {
            Revision r = source.fetch();
            assertThat(r.commit()).isEqualTo(c.name());
            assertThat(r.subject()).isEqualTo("image v2");
            assertThat(r.message()).isEqualTo("image v2\n\nBump the image.\n");
            assertThat(r.author()).isEqualTo("Ada Lovelace");
            assertThat(r.authorEmail()).isEqualTo("ada@example.com");
            assertThat(r.time()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
            assertThat(source.revision(c.name())).isEqualTo(r);
        }
    }

    @Test
    void secondFetchWithNothingNewTransfersNothing() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        try (GitSource source = source()) {
            Revision first = source.fetch();
            List<String> objectsBefore = objectFiles(source.repositoryDirectory());
            assertThat(objectsBefore).isNotEmpty();

            Revision again = source.fetch();

            assertThat(again).isEqualTo(first);
            assertThat(objectFiles(source.repositoryDirectory())).isEqualTo(objectsBefore);

            RevCommit next = remote.write("a.yaml", "2").commit("two");
            Revision moved = source.fetch();
            assertThat(moved.commit()).isEqualTo(next.name());
            assertThat(objectFiles(source.repositoryDirectory())).hasSizeGreaterThan(objectsBefore.size());
            assertThat(text(source.readPath(moved.commit(), "a.yaml")
                            .orElseThrow()
                            .get(0)))
                    .isEqualTo("2");
        }
    }

    @Test
    void forcePushBackToAKnownCommitMovesTheBranchWithoutTransfer() throws Exception {
        RevCommit one = remote.write("a.yaml", "1").commit("one");
        remote.write("a.yaml", "2").commit("two");
        try (GitSource source = source()) {
            source.fetch();
            List<String> objectsBefore = objectFiles(source.repositoryDirectory());
            remote.git
                    .reset()
                    .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
                    .setRef(one.name())
                    .call();

            assertThat(source.fetch().commit()).isEqualTo(one.name());
            assertThat(objectFiles(source.repositoryDirectory())).isEqualTo(objectsBefore);
        }
    }

    @Test
    void fetchOfAKnownHeadReturnsWhatWasFetchedWhenSomeonePushedInBetween() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        try (GitSource source = source()) {
            source.fetch();
            RevCommit two = remote.write("a.yaml", "2").commit("two");
            String head = source.remoteHead();
            RevCommit three = remote.write("a.yaml", "3").commit("three"); // pushed after the ls-remote

            Revision fetched = source.fetch(head);

            assertThat(head).isEqualTo(two.name());
            assertThat(fetched.commit())
                    .as("the branch head actually fetched, not the stale one")
                    .isEqualTo(three.name());
            assertThat(text(source.readPath(fetched.commit(), "a.yaml")
                            .orElseThrow()
                            .get(0)))
                    .isEqualTo("3");
            assertThat(source.revision(two.name()).subject()).isEqualTo("two"); // and the older head came along
        }
    }

    @Test
    void fetchOfAnIdThatIsNotACommitInTheCacheFetchesInsteadOfMovingTheBranchThere() throws Exception {
        RevCommit one = remote.write("a.yaml", "1").commit("one");
        try (GitSource source = source()) {
            source.fetch();
            RevCommit two = remote.write("a.yaml", "2").commit("two");

            Revision fetched = source.fetch(one.getTree().name()); // a tree that is in the cache

            assertThat(fetched.commit()).isEqualTo(two.name());
        }
    }

    @Test
    void fetchOfSomethingThatIsNotACommitIdIsRefused() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        try (GitSource source = source()) {
            assertThatThrownBy(() -> source.fetch("main"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("full 40-hex id");
            assertThatThrownBy(() -> source.fetch(null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(source.repositoryDirectory()).doesNotExist();
        }
    }

    @Test
    void readPathReturnsNestedFilesWithRepositoryRelativePaths() throws Exception {
        remote.write("apps/hello/deploy.yaml", "kind: Deployment")
                .write("apps/hello/svc/service.yaml", "kind: Service")
                .write("apps/hello/svc/deeper/cm.yaml", "kind: ConfigMap")
                .write("apps/other/x.yaml", "other")
                .write("README.md", "readme");
        RevCommit c = remote.commit("apps");
        try (GitSource source = source()) {
            source.fetch();
            List<SourceFile> files = source.readPath(c.name(), "apps/hello").orElseThrow();

            assertThat(files)
                    .extracting(SourceFile::path)
                    .containsExactly(
                            "apps/hello/deploy.yaml", "apps/hello/svc/deeper/cm.yaml", "apps/hello/svc/service.yaml");
            assertThat(files)
                    .extracting(GitSourceTest::text)
                    .containsExactly("kind: Deployment", "kind: ConfigMap", "kind: Service");
            // spellings of the same path give the same answer
            for (String spelling : List.of("./apps/hello/", "/apps/hello", "apps//hello/.")) {
                assertThat(source.readPath(c.name(), spelling)).contains(files);
            }
            assertThat(source.readPath(c.name(), "apps/hello/deploy.yaml").orElseThrow())
                    .extracting(SourceFile::path)
                    .containsExactly("apps/hello/deploy.yaml");
        }
    }

    @Test
    void rootPathReadsTheWholeRepository() throws Exception {
        remote.write("a.yaml", "a").write("d/b.yaml", "b");
        RevCommit c = remote.commit("root");
        try (GitSource source = source()) {
            source.fetch();
            for (String root : List.of("", ".", "/", "./")) {
                assertThat(source.readPath(c.name(), root).orElseThrow())
                        .extracting(SourceFile::path)
                        .containsExactly("a.yaml", "d/b.yaml");
            }
        }
    }

    @Test
    void readPathAtAnOlderCommitReturnsTheOlderContentFromItsTree() throws Exception {
        RevCommit v1 = remote.write("app/deploy.yaml", "image: v1")
                .write("app/old.yaml", "old")
                .commit("v1");
        Files.delete(remote.dir.resolve("app/old.yaml"));
        RevCommit v2 = remote.write("app/deploy.yaml", "image: v2")
                .write("app/new.yaml", "new")
                .commit("v2");
        try (GitSource source = source()) {
            source.fetch();
            assertThat(source.readPath(v1.name(), "app").orElseThrow())
                    .extracting(SourceFile::path, GitSourceTest::text)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("app/deploy.yaml", "image: v1"),
                            org.assertj.core.groups.Tuple.tuple("app/old.yaml", "old"));
            assertThat(source.readPath(v2.name(), "app").orElseThrow())
                    .extracting(SourceFile::path, GitSourceTest::text)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("app/deploy.yaml", "image: v2"),
                            org.assertj.core.groups.Tuple.tuple("app/new.yaml", "new"));
            // nothing was checked out: the cache is bare
            try (Stream<Path> entries = Files.list(source.repositoryDirectory())) {
                assertThat(entries.map(p -> p.getFileName().toString())).doesNotContain("app", ".git");
            }
        }
    }

    @Test
    void missingPathIsEmptyNotAnEmptyList() throws Exception {
        RevCommit c = remote.write("apps/hello/a.yaml", "a").commit("one");
        Files.delete(remote.dir.resolve("apps/hello/a.yaml"));
        RevCommit gone = remote.write("apps/other/b.yaml", "b").commit("remove hello");
        try (GitSource source = source()) {
            source.fetch();
            assertThat(source.readPath(c.name(), "apps/nope")).isEmpty();
            assertThat(source.readPath(gone.name(), "apps/hello")).isEmpty();
            assertThat(source.readPath(c.name(), "apps/hello")).isPresent();
        }
    }

    @Test
    void symlinksAreSkippedNeverFollowed() throws Exception {
        remote.write("app/deploy.yaml", "ok")
                .symlink("app/passwd.yaml", "/etc/passwd")
                .symlink("app/etc", "/etc")
                .symlink("app/sibling.yaml", "../secret/token.yaml")
                .write("secret/token.yaml", "do not read")
                .symlink("linked-app", "app");
        RevCommit c = remote.commit("with symlinks");
        try (GitSource source = source()) {
            source.fetch();
            List<SourceFile> files = source.readPath(c.name(), "app").orElseThrow();

            assertThat(files).extracting(SourceFile::path).containsExactly("app/deploy.yaml");
            assertThat(files).noneMatch(f -> text(f).contains("root:"));
            // a path through a symlinked directory does not exist in the tree
            assertThat(source.readPath(c.name(), "app/etc/passwd")).isEmpty();
            // the app path itself being a symlink is refused, not followed
            GitSourceException e =
                    catchThrowableOfType(GitSourceException.class, () -> source.readPath(c.name(), "linked-app"));
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.NOT_FOUND);
            assertThat(e).hasMessageContaining("linked-app").hasMessageContaining("symlink");
        }
    }

    @Test
    void submodulesAreSkipped() throws Exception {
        remote.write("app/deploy.yaml", "ok").gitlink("app/vendored", "0123456789abcdef0123456789abcdef01234567");
        RevCommit c = remote.commit("with submodule");
        try (GitSource source = source()) {
            source.fetch();
            assertThat(source.readPath(c.name(), "app").orElseThrow())
                    .extracting(SourceFile::path)
                    .containsExactly("app/deploy.yaml");
        }
    }

    @Test
    void pathsEscapingTheRepositoryAreRejected() throws Exception {
        RevCommit c = remote.write("a.yaml", "a").commit("one");
        try (GitSource source = source()) {
            source.fetch();
            for (String bad : List.of("..", "../etc", "apps/../../etc", "apps/..", "..\\etc", "C:/Windows")) {
                assertThatThrownBy(() -> source.readPath(c.name(), bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(bad);
            }
        }
    }

    @Test
    void readingMoreThanTheLimitFailsClearly() throws Exception {
        RevCommit c = remote.write("app/a.yaml", "x".repeat(600))
                .write("app/b.yaml", "y".repeat(600))
                .commit("big");
        GitSource.Options small = new GitSource.Options(java.time.Duration.ofSeconds(10), 1000);
        try (GitSource source = new GitSource(new RepoSpec(remote.url()), cache, small)) {
            source.fetch();
            GitSourceException e =
                    catchThrowableOfType(GitSourceException.class, () -> source.readPath(c.name(), "app"));
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.TOO_LARGE);
            assertThat(e).hasMessageContaining("app/b.yaml").hasMessageContaining("1000 bytes");
            assertThat(source.readPath(c.name(), "app/a.yaml")).isPresent();
        }
    }

    @Test
    void revertedCommitReadsARealGitRevert() throws Exception {
        remote.write("app/deploy.yaml", "image: v2").commit("image v2");
        RevCommit v3 = remote.write("app/deploy.yaml", "image: v3").commit("image v3");
        RevCommit revert = remote.git.revert().include(v3).call();
        try (GitSource source = source()) {
            Revision head = source.fetch();
            assertThat(head.commit()).isEqualTo(revert.name());
            assertThat(head.subject()).isEqualTo("Revert \"image v3\"");
            assertThat(source.revertedCommit(head)).contains(v3.name());
            assertThat(text(source.readPath(head.commit(), "app").orElseThrow().get(0)))
                    .isEqualTo("image: v2");
            assertThat(source.revertedCommit(source.revision(v3.name()))).isEmpty();
        }
    }

    @Test
    void logFollowsFirstParentsNewestFirst() throws Exception {
        RevCommit one = remote.write("a.yaml", "1").commit("one");
        remote.git.checkout().setCreateBranch(true).setName("side").call();
        RevCommit side = remote.write("b.yaml", "side").commit("side work");
        remote.git.checkout().setName("main").call();
        RevCommit two = remote.write("a.yaml", "2").commit("two");
        remote.git
                .merge()
                .include(side)
                .setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setMessage("merge side")
                .call();
        RevCommit merge = remote.git
                .getRepository()
                .parseCommit(remote.git.getRepository().resolve("HEAD"));
        assertThat(merge.getParentCount()).isEqualTo(2);
        try (GitSource source = source()) {
            Revision head = source.fetch();
            assertThat(head.commit()).isEqualTo(merge.name());

            assertThat(source.log(head.commit(), 10))
                    .extracting(Revision::commit)
                    .containsExactly(merge.name(), two.name(), one.name())
                    .doesNotContain(side.name());
            assertThat(source.log(head.commit(), 2))
                    .extracting(Revision::subject)
                    .containsExactly("merge side", "two");
        }
    }

    @Test
    void unknownCommitIsNotFound() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        try (GitSource source = source()) {
            source.fetch();
            String absent = "0123456789abcdef0123456789abcdef01234567";
            GitSourceException e = catchThrowableOfType(GitSourceException.class, () -> source.readPath(absent, "."));
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.NOT_FOUND);
            assertThat(e).hasMessageContaining(absent);
            assertThatThrownBy(() -> source.revision("HEAD")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void deletedRemoteIsUnreachable() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        String url = remote.url();
        try (GitSource source = source()) {
            Revision cached = source.fetch();
            remote.close();
            deleteTree(remote.dir);

            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNREACHABLE);
            assertThat(e).hasMessageContaining(url.replaceAll("/$", ""));
            // the cache still serves what was fetched before
            assertThat(source.readPath(cached.commit(), "a.yaml")).isPresent();
        }
    }

    @Test
    void missingBranchIsNotFound() throws Exception {
        remote.write("a.yaml", "1").commit("one");
        try (GitSource source = new GitSource(new RepoSpec(remote.url(), "release"), cache)) {
            GitSourceException ls = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(ls.kind()).isEqualTo(GitSourceException.Kind.NOT_FOUND);
            assertThat(ls).hasMessageContaining("'release'");
            GitSourceException fetch = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(fetch.kind()).isEqualTo(GitSourceException.Kind.NOT_FOUND);
        }
    }

    @Test
    void credentialsInTheUrlNeverAppearInErrors() throws IOException {
        String url = "https://deployer:hunter2-s3cret@127.0.0.1:1/org/repo.git"; // port 1: connection refused
        try (GitSource source =
                new GitSource(new RepoSpec(url), cache, new GitSource.Options(java.time.Duration.ofSeconds(5), 1024))) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);

            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNREACHABLE);
            assertThat(e).hasMessageContaining("https://***@127.0.0.1:1/org/repo.git");
            assertThat(stackTraceOf(e)).doesNotContain("hunter2-s3cret").doesNotContain("deployer:");
            assertThat(source.spec().toString()).doesNotContain("hunter2-s3cret");
        }
    }

    @Test
    void aTokenFromAFileNeverAppearsInErrorsOrToString() throws IOException {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, "ghp_topsecretvalue\n");
        RepoSpec spec = new RepoSpec(
                "https://127.0.0.1:1/org/repo.git", "main", GitCredentials.token(SecretSource.file(tokenFile)));
        try (GitSource source = new GitSource(spec, cache)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::fetch);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.UNREACHABLE);
            assertThat(stackTraceOf(e)).doesNotContain("ghp_topsecretvalue");
        }
        assertThat(spec.toString()).doesNotContain("ghp_topsecretvalue").contains(tokenFile.toString());
    }

    @Test
    void anUnreadableSecretFileIsAConfigErrorNamingTheFile() {
        Path missing = tmp.resolve("no-such-token");
        RepoSpec spec = new RepoSpec(remote.url(), "main", GitCredentials.token(SecretSource.file(missing)));
        try (GitSource source = new GitSource(spec, cache)) {
            GitSourceException e = catchThrowableOfType(GitSourceException.class, source::remoteHead);
            assertThat(e.kind()).isEqualTo(GitSourceException.Kind.CONFIG);
            assertThat(e).hasMessageContaining(missing.toString());
        }
    }

    @Test
    void sourcesOnTheSameUrlShareACacheAndTokensDoNotChangeIt() {
        Path a = new GitSource(new RepoSpec("https://host/org/app.git", "main"), cache).repositoryDirectory();
        Path b = new GitSource(new RepoSpec("https://user:tok@host/org/app.git", "prod"), cache).repositoryDirectory();
        Path c = new GitSource(new RepoSpec("https://host/other/app.git"), cache).repositoryDirectory();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.getFileName().toString())
                .startsWith("app-")
                .endsWith(".git")
                .doesNotContain("tok");
    }

    @Test
    void twoBranchesOfOneRepositoryShareTheCacheSafely() throws Exception {
        RevCommit main = remote.write("a.yaml", "main").commit("main");
        remote.git.checkout().setCreateBranch(true).setName("prod").call();
        RevCommit prod = remote.write("a.yaml", "prod").commit("prod");
        try (GitSource m = source();
                GitSource p = new GitSource(new RepoSpec(remote.url(), "prod"), cache)) {
            assertThat(m.fetch().commit()).isEqualTo(main.name());
            assertThat(p.fetch().commit()).isEqualTo(prod.name());
            assertThat(m.fetch().commit()).isEqualTo(main.name());
            assertThat(text(p.readPath(prod.name(), "a.yaml").orElseThrow().get(0)))
                    .isEqualTo("prod");
        }
    }

    private static List<String> objectFiles(Path bareRepo) throws IOException {
        try (Stream<Path> files = Files.walk(bareRepo.resolve("objects"))) {
            return files.filter(Files::isRegularFile)
                    .map(p -> bareRepo.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static String stackTraceOf(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out + "\n" + t;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
