package dev.lockstep.writeback;

import dev.lockstep.git.CommitWriter;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.manifest.ManifestParser;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes the commit that brings a Deployment back to the pod template an older commit made: the revert of every commit
 * since it when that applies cleanly, otherwise the Deployment's manifest file restored as it was at that commit. Used
 * for a manual rollback ({@code kubectl rollout undo}) and for {@code lockstep rollback}.
 */
public final class RollbackCommits {
    /** How far back a rollback may reach, in first-parent commits. */
    private static final int MAX_SINCE = 1000;

    private final GitSource git;
    private final CommitWriter writer;
    private final String appPath;

    public RollbackCommits(GitSource git, CommitWriter writer, String appPath) {
        this.git = git;
        this.writer = writer;
        this.appPath = appPath;
    }

    /**
     * @param head   the branch head, already fetched
     * @param target the commit that made the template to go back to
     * @param why    e.g. "rolled back by hand to revision 2 (kubectl rollout undo)"
     */
    public RollbackCommit build(
            String head, String target, ResourceKey deployment, String why, String action, String app)
            throws GitSourceException {
        Optional<List<Revision>> since = since(head, target);
        if (since.isEmpty()) {
            return new RollbackCommit.Impossible("commit " + Revision.shortSha(target)
                    + " is not in the branch's history (rewritten?); nothing pushed");
        }
        if (since.get().isEmpty()) {
            return new RollbackCommit.Unneeded("git is already at " + Revision.shortSha(target));
        }
        Revision then = git.revision(target);
        String name = deployment.namespace() + "/" + deployment.name();
        List<String> shas = since.get().stream().map(Revision::commit).toList();
        String revertMessage = WriteBackMessages.backTo(then, since.get(), "", name, why, action, app);
        Optional<String> reverted = writer.revert(head, shas, revertMessage);
        if (reverted.isPresent()) {
            return new RollbackCommit.Ready(reverted.get(), head, revertMessage);
        }
        Optional<String> file = fileOf(target, deployment);
        if (file.isEmpty()) {
            return new RollbackCommit.Impossible("the reverts do not apply cleanly and " + deployment
                    + " has no manifest at commit " + then.shortSha() + "; nothing pushed");
        }
        String restoreMessage = WriteBackMessages.backTo(then, List.of(), file.get(), name, why, action, app);
        return new RollbackCommit.Ready(writer.restore(head, target, file.get(), restoreMessage), head, restoreMessage);
    }

    /** The first-parent commits after {@code target} up to {@code head}, newest first; empty if target is not among them. */
    private Optional<List<Revision>> since(String head, String target) throws GitSourceException {
        List<Revision> out = new ArrayList<>();
        for (Revision r : git.log(head, MAX_SINCE)) {
            if (r.commit().equals(target)) {
                return Optional.of(out);
            }
            out.add(r);
        }
        return Optional.empty();
    }

    /** The file that held the Deployment's manifest at {@code commit}. */
    private Optional<String> fileOf(String commit, ResourceKey deployment) throws GitSourceException {
        Optional<List<SourceFile>> files = git.readPath(commit, appPath);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        return new ManifestParser()
                .parse(files.get()).manifests().stream()
                        .filter(m -> sameObject(m, deployment))
                        .map(Manifest::file)
                        .findFirst();
    }

    /** A manifest may leave its namespace to the app's default: kind and name decide then. */
    private static boolean sameObject(Manifest m, ResourceKey key) {
        return m.key().kind().equals(key.kind())
                && m.key().name().equals(key.name())
                && (m.key().namespace().isEmpty() || m.key().namespace().equals(key.namespace()));
    }
}
