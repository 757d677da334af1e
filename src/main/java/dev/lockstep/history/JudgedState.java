package dev.lockstep.history;

import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.util.Tree;
import java.util.List;
import java.util.Map;

/**
 * An object's state now, from its live object and the app's record: the one judgement {@code lockstep status}
 * ({@link ObjectStates}), the daemon's status ({@link WatchedStates}) and {@link HistoryQuery} share, so they agree.
 */
public final class JudgedState {
    private JudgedState() {}

    /**
     * A StatefulSet, DaemonSet or Job still rolling out the commit whose rollout the record says failed is Failed:
     * their controllers keep no failure condition (Lockstep's progress deadline failed it) and Lockstep stopped
     * following it then. A Deployment is as its live object says: its controller keeps the failure as a condition.
     *
     * @param object the live object, whose commit annotation names the commit it is at
     * @param live   its state as judged from the live object alone
     */
    public static RolloutStatus of(
            ResourceKey key, Map<String, Object> object, RolloutStatus live, List<HistoryEntry> recorded) {
        if (ObjectReadiness.isDeployment(key) || live.state() != RolloutState.PROGRESSING) {
            return live;
        }
        String commit = Tree.string(object, "metadata", "annotations", MetadataKeys.COMMIT)
                .orElse("");
        return recordedFailed(key, commit, recorded)
                ? new RolloutStatus(
                        RolloutState.FAILED,
                        "rollout of " + Revision.shortSha(commit) + " failed: " + live.message(),
                        live.revision())
                : live;
    }

    /** True when the last entry the record has for that workload and commit says its rollout failed. */
    private static boolean recordedFailed(ResourceKey workload, String commit, List<HistoryEntry> recorded) {
        return !commit.isEmpty()
                && recorded.stream()
                        .filter(h -> h.isOf(workload) && h.commit().equals(commit))
                        .reduce((a, b) -> b)
                        .filter(h -> h.result().equals("failed"))
                        .isPresent();
    }
}
