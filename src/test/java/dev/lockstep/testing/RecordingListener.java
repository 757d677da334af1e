package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what the reconciler reported, as readable lines, for assertions; and counts finished passes, the clock
 * tests wait on instead of wall time ("nothing happened during three more passes", not "during 1.5 s").
 */
public final class RecordingListener implements ReconcileListener {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<PassOutcome> passes = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    /** How many passes have finished so far. */
    public int passes() {
        return passes.size();
    }

    /** The outcomes of the passes that finished after the first {@code mark} ones, in order. */
    public List<PassOutcome> outcomesSince(int mark) {
        List<PassOutcome> all = List.copyOf(passes);
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /**
     * Waits until at least {@code more} passes have finished after the first {@code mark} ones and returns the count
     * then. On timeout the message says what was awaited ({@code what}) and which passes did finish.
     */
    public int awaitPasses(int mark, int more, Duration atMost, String what) {
        await(what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(passes())
                        .as(
                                "finished passes: waiting for %d after pass %d (%s); outcomes since then: %s",
                                more, mark, what, outcomesSince(mark))
                        .isGreaterThanOrEqualTo(mark + more));
        return passes();
    }

    @Override
    public void passFinished(String app, PassOutcome outcome, Duration took) {
        passes.add(outcome);
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        events.add("rollout " + deployment.name() + " " + status.state() + " revision " + status.revision() + " "
                + commit.subject());
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        events.add("rollback " + deployment.name() + " to " + toRevision + " as " + newRevision
                + (reused ? " reused" : " new"));
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
