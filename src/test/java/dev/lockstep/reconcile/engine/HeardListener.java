package dev.lockstep.reconcile.engine;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every listener call as a readable line, for asserting what users hear (metrics, Events, console). */
public final class HeardListener implements ReconcileListener {
    private final List<String> heard = new CopyOnWriteArrayList<>();
    /** Kept apart from {@link #heard()}: statuses change on most passes. */
    private final List<AppStatus> statusChanges = new CopyOnWriteArrayList<>();

    public List<AppStatus> statusChanges() {
        return List.copyOf(statusChanges);
    }

    @Override
    public void statusChanged(String app, AppStatus status) {
        statusChanges.add(status);
    }

    public List<String> heard() {
        return List.copyOf(heard);
    }

    public List<String> heard(String prefix) {
        return heard.stream().filter(h -> h.startsWith(prefix)).toList();
    }

    public void clear() {
        heard.clear();
    }

    @Override
    public void passFinished(String app, PassOutcome outcome, Duration took) {
        heard.add("pass " + outcome.label());
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        heard.add((created ? "created " : "updated ") + key);
    }

    @Override
    public void pruned(String app, ResourceKey key, String apiVersion) {
        heard.add("pruned " + key);
    }

    @Override
    public void pruneRefused(String app, String reason) {
        heard.add("pruneRefused " + reason);
    }

    @Override
    public void pruneHeld(String app, String message) {
        heard.add("pruneHeld " + message);
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        heard.add("commitRefused " + check + " " + commit + " " + reason);
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        heard.add("rollout " + deployment.name() + " " + status.state() + " revision " + status.revision());
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        heard.add("rolledBack " + deployment.name() + " to " + toRevision + " as " + newRevision
                + (reused ? " reused" : " new"));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        heard.add("drift " + key + " " + field + (corrected ? " corrected" : " reported"));
    }

    @Override
    public void writeBack(String app, dev.lockstep.model.WriteBack decision, String summary) {
        heard.add("writeBack " + (decision.wasPushed() ? "pushed " : "declined ") + summary);
    }

    @Override
    public void writeForbidden(String app, Revision commit, List<String> reasons) {
        heard.add("writeForbidden " + commit.shortSha() + " " + String.join("; ", reasons));
    }

    @Override
    public void gitError(String app, String message) {
        heard.add("gitError " + message);
    }

    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        heard.add("rejected " + commit.shortSha() + " " + String.join(" | ", errors));
    }

    @Override
    public void commitApplied(String app, Revision commit) {
        heard.add("commitApplied " + commit.shortSha());
    }
}
