package dev.lockstep.writeback;

import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.model.WriteBackTrailers;
import java.util.List;

/** The messages of Lockstep's commits: what a person would write, plus trailers that say why and for which app. */
public final class WriteBackMessages {
    private WriteBackMessages() {}

    /** {@code git revert}'s own message for the failed commit, with the reason and the app as trailers. */
    public static String revertOfFailedRollout(FailedRollout failed, String app) {
        Revision c = failed.commit();
        return "Revert \"" + c.subject() + "\"\n\nThis reverts commit " + c.commit() + ".\n\n"
                + WriteBackTrailers.of(WriteBack.REVERT_FAILED_ROLLOUT, failed.reason(), app);
    }

    /**
     * A commit that brings {@code deployment} back to the template {@code target} made.
     *
     * @param reverted the commits it reverts, newest first; empty when it restores the file instead
     * @param why      one line: who rolled back and how, e.g. "rolled back by hand to revision 2 (kubectl rollout undo)"
     */
    public static String backTo(
            Revision target,
            List<Revision> reverted,
            String path,
            String deployment,
            String why,
            String action,
            String app) {
        StringBuilder m = new StringBuilder();
        if (reverted.size() == 1) {
            m.append("Revert \"").append(reverted.get(0).subject()).append("\"\n\n");
        } else if (reverted.isEmpty()) {
            m.append("Restore ")
                    .append(path)
                    .append(" as of ")
                    .append(target.shortSha())
                    .append(" \"")
                    .append(target.subject())
                    .append("\"\n\n");
        } else {
            m.append("Revert ")
                    .append(reverted.size())
                    .append(" commits, back to ")
                    .append(target.shortSha())
                    .append(" \"")
                    .append(target.subject())
                    .append("\"\n\n");
        }
        reverted.forEach(
                r -> m.append("This reverts commit ").append(r.commit()).append(".\n"));
        if (!reverted.isEmpty()) {
            m.append('\n');
        }
        m.append("Deployment ")
                .append(deployment)
                .append(' ')
                .append(why)
                .append(": this commit makes git say what the cluster runs.\n\n");
        m.append(WriteBackTrailers.of(action, "Deployment " + deployment + " " + why, app));
        return m.toString();
    }
}
