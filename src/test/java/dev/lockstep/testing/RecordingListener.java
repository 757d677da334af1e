package dev.lockstep.testing;

import dev.lockstep.model.Revision;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the reconciler reported, as readable lines, for assertions. */
public final class RecordingListener implements ReconcileListener {
    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        events.add("rollout " + deployment.name() + " " + status.state() + " revision " + status.revision() + " " + commit.subject());
    }

    @Override
    public void rolledBack(String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        events.add("rollback " + deployment.name() + " to " + toRevision + " as " + newRevision + (reused ? " reused" : " new"));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        events.add("drift " + key.name() + " " + field + (corrected ? " corrected" : " reported"));
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        events.add("applied " + key.kind() + "/" + key.name());
    }
}
