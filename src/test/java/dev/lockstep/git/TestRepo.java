package dev.lockstep.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real "remote" repository with a working tree, made with JGit, reachable over file://. */
final class TestRepo implements AutoCloseable {

    final Path dir;
    final Git git;
    private int tick;

    private TestRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    static TestRepo create(Path dir) throws GitAPIException {
        return new TestRepo(
                dir,
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    String url() {
        return dir.toUri().toString();
    }

    TestRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    TestRepo symlink(String path, String target) throws IOException {
        Path link = dir.resolve(path);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
        return this;
    }

    /** Stages a submodule entry (gitlink) without needing a second repository on disk. */
    TestRepo gitlink(String path, String commit) throws IOException {
        DirCache index = git.getRepository().lockDirCache();
        DirCacheEditor editor = index.editor();
        editor.add(new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.GITLINK);
                entry.setObjectId(ObjectId.fromString(commit));
            }
        });
        editor.commit();
        return this;
    }

    RevCommit commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call(); // stage deletions too
        PersonIdent who = person();
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    /** Distinct, increasing times so ordering assertions mean something. */
    PersonIdent person() {
        Instant when = Instant.parse("2024-05-01T10:00:00Z").plusSeconds(60L * tick++);
        return new PersonIdent("Ada Lovelace", "ada@example.com", when, ZoneOffset.UTC);
    }

    @Override
    public void close() {
        git.close();
    }
}
