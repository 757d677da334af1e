package dev.lockstep.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository on disk for tests: write files, commit, revert, as a user would with git.
 * Lockstep reads it over {@code file://}, exactly like a remote.
 */
public final class GitRepoFixture implements AutoCloseable {
    private final Path dir;
    private final Git git;
    private final PersonIdent author = new PersonIdent("Ada Lovelace", "ada@example.com");

    private GitRepoFixture(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static GitRepoFixture create(Path dir) {
        try {
            Files.createDirectories(dir);
            Git git = Git.init()
                    .setDirectory(dir.toFile())
                    .setInitialBranch("main")
                    .call();
            // git revert takes its author from the repository's config, as the git CLI does
            var config = git.getRepository().getConfig();
            config.setString("user", null, "name", "Ada Lovelace");
            config.setString("user", null, "email", "ada@example.com");
            config.save();
            return new GitRepoFixture(dir, git);
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return dir.toUri().toString();
    }

    public Path dir() {
        return dir;
    }

    public GitRepoFixture write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public GitRepoFixture delete(String path) {
        try {
            Path file = dir.resolve(path);
            if (Files.isDirectory(file)) {
                try (var walk = Files.walk(file)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            } else {
                Files.deleteIfExists(file);
            }
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stages everything (additions and deletions) and commits; returns the full SHA. */
    public String commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit c = git.commit()
                    .setMessage(message)
                    .setAuthor(author)
                    .setCommitter(author)
                    .setAllowEmpty(true)
                    .call();
            return c.getName();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code git reset --hard <commit>}: the branch moves back, as before a force-push. */
    public void resetHard(String commit) {
        try {
            git.reset()
                    .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
                    .setRef(commit)
                    .call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stages everything and commits, signed by {@code signer} (e.g. {@link OpenPgpTestKey#signer()}). */
    public String commitSigned(String message, org.eclipse.jgit.lib.Signer signer) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit c = git.commit()
                    .setMessage(message)
                    .setAuthor(author)
                    .setCommitter(author)
                    .setAllowEmpty(true)
                    .setSign(true)
                    .setSigningKey("test")
                    .setSigner(signer)
                    .call();
            return c.getName();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String commit(String message, Map<String, String> files) {
        files.forEach(this::write);
        return commit(message);
    }

    /** {@code git revert <commit>}: a new commit with git's own "This reverts commit X." message. */
    /** {@code git push <url> main} (never forced): true when the remote took it. */
    public boolean push(String url) {
        try {
            for (var result : git.push()
                    .setRemote(url)
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/main:refs/heads/main"))
                    .call()) {
                var update = result.getRemoteUpdate("refs/heads/main");
                if (update.getStatus() != org.eclipse.jgit.transport.RemoteRefUpdate.Status.OK
                        && update.getStatus() != org.eclipse.jgit.transport.RemoteRefUpdate.Status.UP_TO_DATE) {
                    return false;
                }
            }
            return true;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code git pull --ff-only <url> main}: takes what someone else (Lockstep) pushed. */
    public void pull(String url) {
        try {
            if (Git.lsRemoteRepository().setRemote(url).setHeads(true).call().isEmpty()) {
                return; // nothing pushed yet
            }
            git.fetch()
                    .setRemote(url)
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/main:refs/remotes/origin/main"))
                    .call();
            git.merge()
                    .include(git.getRepository().resolve("refs/remotes/origin/main"))
                    .setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.FF_ONLY)
                    .call();
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A merge commit: {@code path} written on a side branch, merged into main with {@code --no-ff}; returns its SHA. */
    public String mergeFromSideBranch(String path, String content, String message) {
        try {
            String main = git.getRepository().getBranch();
            git.checkout().setCreateBranch(true).setName("side").call();
            write(path, content);
            commit("on the side");
            git.checkout().setName(main).call();
            var result = git.merge()
                    .include(git.getRepository().resolve("side"))
                    .setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.NO_FF)
                    .setMessage(message)
                    .call();
            git.branchDelete().setBranchNames("side").setForce(true).call();
            return result.getNewHead().name();
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bare repository beside this one, holding what was pushed to it: the "remote" users push to. */
    public static String bareRemote(Path dir) {
        try {
            Git.init()
                    .setBare(true)
                    .setDirectory(dir.toFile())
                    .setInitialBranch("main")
                    .call()
                    .close();
            return dir.toUri().toString();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String revert(String commit) {
        try {
            RevCommit c =
                    git.revert().include(git.getRepository().resolve(commit)).call();
            if (c == null) {
                throw new IllegalStateException("revert of " + commit + " had conflicts");
            }
            return c.getName();
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
