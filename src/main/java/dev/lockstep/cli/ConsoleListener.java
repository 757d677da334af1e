package dev.lockstep.cli;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.util.List;

/** Prints what a one-shot pass does, in kubectl's words ("created", "configured", "pruned"). */
final class ConsoleListener implements ReconcileListener {
    private final PrintWriter out;

    ConsoleListener(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        out.println(key + (created ? " created" : " configured"));
        out.flush();
    }

    @Override
    public synchronized void pruned(String app, ResourceKey key, String apiVersion) {
        out.println(key + " pruned");
        out.flush();
    }

    @Override
    public synchronized void writeBack(String app, WriteBack decision, String summary) {
        out.println(summary);
        out.flush();
    }

    @Override
    public synchronized void pruneRefused(String app, String reason) {
        out.println("prune refused: " + reason);
        out.flush();
    }

    @Override
    public synchronized void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        out.println(
                deployment + " rolled back to revision " + toRevision + " (now revision " + newRevision + ") by commit "
                        + commit.shortSha() + (reused ? ", ReplicaSet reused" : ", a new ReplicaSet was made"));
        out.flush();
    }

    @Override
    public synchronized void rolloutFinished(
            String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        out.println(deployment + " revision " + status.revision() + " (commit " + commit.shortSha() + "): "
                + status.message());
        out.flush();
    }

    @Override
    public synchronized void drift(String app, ResourceKey key, String field, boolean corrected) {
        out.println(key + ": " + field + " drifted from git" + (corrected ? "; restored" : ""));
        out.flush();
    }

    @Override
    public synchronized void rejected(String app, Revision commit, List<String> errors) {
        errors.forEach(e -> out.println("error: " + e));
        out.flush();
    }
}
