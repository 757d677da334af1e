package dev.lockstep.cli;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints what a one-shot pass does, in kubectl's words ("created", "configured", "pruned"). Past a handful of objects,
 * one line per object says nothing a person reads: unless verbose, only the first {@link #HANDFUL} are printed, and
 * {@link #summary()} counts the rest. Failures, refusals, drift and write-backs are always printed.
 */
final class ConsoleListener implements ReconcileListener {
    static final int HANDFUL = 10;
    private final PrintWriter out;
    private final boolean verbose;
    private int objectLines;
    private int written; // every object written this run, never reset: many rollouts get one progress line instead
    private int created;
    private int configured;
    private int pruned;

    ConsoleListener(PrintWriter out) {
        this(out, true);
    }

    ConsoleListener(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public synchronized void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        if (created) {
            this.created++;
        } else {
            configured++;
        }
        objectLine(key + (created ? " created" : " configured"));
    }

    @Override
    public synchronized void pruned(String app, ResourceKey key, String apiVersion) {
        pruned++;
        objectLine(key + " pruned");
    }

    private void objectLine(String line) {
        written++;
        if (verbose || ++objectLines <= HANDFUL) {
            out.println(line);
            out.flush();
        }
    }

    /**
     * {@code 1000 created, 0 configured, 0 pruned (-v shows each)} when lines were left out since the last call, else
     * empty; counting starts again (one summary per app).
     */
    synchronized String summary() {
        String summary = verbose || objectLines <= HANDFUL
                ? ""
                : created + " created, " + configured + " configured, " + pruned + " pruned (-v shows each)";
        objectLines = 0;
        created = 0;
        configured = 0;
        pruned = 0;
        return summary;
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
        String line = deployment + " revision " + status.revision() + " (commit " + commit.shortSha() + "): "
                + status.message();
        if (status.state() == RolloutState.FAILED) {
            out.println(line); // a failure is always named
            out.flush();
        } else if (verbose || written <= HANDFUL) {
            out.println(line);
            out.flush();
        }
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
