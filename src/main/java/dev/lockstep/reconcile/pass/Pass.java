package dev.lockstep.reconcile.pass;

import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Drift;
import dev.lockstep.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one pass has learned so far, handed from step to step. Each step reads what earlier steps set and returns a
 * new value; {@code state} is the app's state as it will be after the pass.
 *
 * @param head       the branch head (set by {@link ResolveHead}; moved by the write-back steps when they push)
 * @param commit     the head commit, fetched (set by {@link FetchCommit})
 * @param manifests  the commit's parsed and validated objects (set by {@link ReadManifests})
 * @param plan       what to write (set by {@link PlanChanges})
 * @param applied    what was written, with the server's answers (set by {@link ApplyChanges})
 * @param kept       orphans left in place: opted out of prune, prune off, or refused (set by {@link PruneOrphans})
 * @param drifts     drift to heal, found on a pass without a new commit (set by {@link DetectDrift}; manual rollbacks
 *                   taken out by {@link RecordManualRollbacks})
 * @param superseded history entries of rollouts a newer commit replaced (set by {@link FollowRollouts})
 * @param facts      what users hear about, in order
 */
public record Pass(
        Mode mode,
        AppState state,
        Optional<String> head,
        Optional<Revision> commit,
        List<Manifest> manifests,
        Optional<Plan> plan,
        List<Applier.Applied> applied,
        List<InventoryEntry> kept,
        List<Drift> drifts,
        List<HistoryEntry> superseded,
        List<Fact> facts) {

    /** A reconcile writes; a preview ({@code lockstep diff}) stops after planning and never writes. */
    public enum Mode {
        RECONCILE,
        PREVIEW
    }

    public Pass {
        manifests = List.copyOf(manifests);
        applied = List.copyOf(applied);
        kept = List.copyOf(kept);
        drifts = List.copyOf(drifts);
        superseded = List.copyOf(superseded);
        facts = List.copyOf(facts);
    }

    public static Pass start(Mode mode, AppState state) {
        return new Pass(
                mode,
                state,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * Whether the head is one this process already dealt with: applied it (so it knows what every object should look
     * like) or found it cannot be applied. Such a pass only checks drift. A preview always plans.
     */
    boolean headAlreadyHandled() {
        String h = requireHead();
        return mode == Mode.RECONCILE && (state.applied(h) || state.stalledAt(h));
    }

    String requireHead() {
        return head.orElseThrow(() -> new IllegalStateException("no head yet: ResolveHead must run first"));
    }

    public Revision requireCommit() {
        return commit.orElseThrow(() -> new IllegalStateException("no commit yet: FetchCommit must run first"));
    }

    Plan requirePlan() {
        return plan.orElseThrow(() -> new IllegalStateException("no plan yet: PlanChanges must run first"));
    }

    Pass withState(AppState s) {
        return new Pass(mode, s, head, commit, manifests, plan, applied, kept, drifts, superseded, facts);
    }

    Pass withHead(String h) {
        return new Pass(mode, state, Optional.of(h), commit, manifests, plan, applied, kept, drifts, superseded, facts);
    }

    Pass withCommit(Revision c) {
        return new Pass(mode, state, head, Optional.of(c), manifests, plan, applied, kept, drifts, superseded, facts);
    }

    Pass withManifests(List<Manifest> m) {
        return new Pass(mode, state, head, commit, m, plan, applied, kept, drifts, superseded, facts);
    }

    Pass withPlan(Plan p) {
        return new Pass(mode, state, head, commit, manifests, Optional.of(p), applied, kept, drifts, superseded, facts);
    }

    Pass withApplied(List<Applier.Applied> a) {
        return new Pass(mode, state, head, commit, manifests, plan, a, kept, drifts, superseded, facts);
    }

    Pass withKept(List<InventoryEntry> k) {
        return new Pass(mode, state, head, commit, manifests, plan, applied, k, drifts, superseded, facts);
    }

    Pass withDrifts(List<Drift> d) {
        return new Pass(mode, state, head, commit, manifests, plan, applied, kept, d, superseded, facts);
    }

    Pass withSuperseded(List<HistoryEntry> s) {
        return new Pass(mode, state, head, commit, manifests, plan, applied, kept, drifts, s, facts);
    }

    Pass with(List<? extends Fact> more) {
        List<Fact> all = new ArrayList<>(facts);
        all.addAll(more);
        return new Pass(mode, state, head, commit, manifests, plan, applied, kept, drifts, superseded, all);
    }

    Pass with(Fact fact) {
        return with(List.of(fact));
    }
}
