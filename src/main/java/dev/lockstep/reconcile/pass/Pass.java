package dev.lockstep.reconcile.pass;

import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Applier;
import dev.lockstep.plan.Drift;
import dev.lockstep.plan.Plan;
import dev.lockstep.render.Rendered;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one pass has learned so far, handed from step to step. Each step reads what earlier steps set and returns a
 * new value; {@code state} is the app's state as it will be after the pass.
 *
 * @param head       the branch head (set by {@link ResolveHead}; moved by the write-back steps when they push)
 * @param commit     the head commit, fetched (set by {@link FetchCommit})
 * @param rendered   what the app's path became at the commit: plain files and engine outputs (set by
 *                   {@link RenderManifests}; later steps such as decryption may replace it)
 * @param manifests  the commit's parsed and validated objects (set by {@link ReadManifests})
 * @param plan       what to write (set by {@link PlanChanges})
 * @param applied    what was written, with the server's answers (set by {@link ApplyChanges})
 * @param kept       orphans left in place: opted out of prune, prune off, or refused (set by {@link PruneOrphans})
 * @param drifts     drift to heal, found on a pass without a new commit (set by {@link DetectDrift}; manual rollbacks
 *                   taken out by {@link RecordManualRollbacks})
 * @param superseded history entries of rollouts a newer commit replaced (set by {@link FollowRollouts})
 * @param facts      what users hear about, in order
 * @param secretValues the plaintext of every value that was encrypted in git at the commit (set by
 *                   {@link RenderManifests}): masked in every output, never stored
 * @param parseCache where the commit's parse is kept across processes, and what was found there (set by
 *                   {@link RenderManifests} for plain files without secrets; read by {@link ReadManifests})
 */
record Pass(
        Mode mode,
        AppState state,
        Optional<String> head,
        Optional<Revision> commit,
        Optional<Rendered> rendered,
        List<Manifest> manifests,
        Optional<Plan> plan,
        List<Applier.Applied> applied,
        List<InventoryEntry> kept,
        List<Drift> drifts,
        List<HistoryEntry> superseded,
        List<Fact> facts,
        Set<String> secretValues,
        Optional<CachedParse> parseCache) {

    /** A reconcile writes; a preview ({@code lockstep diff}) stops after planning and never writes. */
    enum Mode {
        RECONCILE,
        PREVIEW
    }

    Pass {
        manifests = List.copyOf(manifests);
        applied = List.copyOf(applied);
        kept = List.copyOf(kept);
        drifts = List.copyOf(drifts);
        superseded = List.copyOf(superseded);
        facts = List.copyOf(facts);
        secretValues = Set.copyOf(secretValues);
    }

    static Pass start(Mode mode, AppState state) {
        return new Pass(
                mode,
                state,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Set.of(),
                Optional.empty());
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

    Revision requireCommit() {
        return commit.orElseThrow(() -> new IllegalStateException("no commit yet: FetchCommit must run first"));
    }

    Rendered requireRendered() {
        return rendered.orElseThrow(
                () -> new IllegalStateException("nothing rendered: RenderManifests must run first"));
    }

    Plan requirePlan() {
        return plan.orElseThrow(() -> new IllegalStateException("no plan yet: PlanChanges must run first"));
    }

    Pass withState(AppState s) {
        return change(d -> d.state = s);
    }

    Pass withHead(String h) {
        return change(d -> d.head = Optional.of(h));
    }

    Pass withCommit(Revision c) {
        return change(d -> d.commit = Optional.of(c));
    }

    Pass withRendered(Rendered r) {
        return change(d -> d.rendered = Optional.of(r));
    }

    Pass withSecretValues(Set<String> values) {
        return change(d -> d.secretValues = values);
    }

    Pass withParseCache(CachedParse c) {
        return change(d -> d.parseCache = Optional.of(c));
    }

    Pass withManifests(List<Manifest> m) {
        return change(d -> d.manifests = m);
    }

    Pass withPlan(Plan p) {
        return change(d -> d.plan = Optional.of(p));
    }

    Pass withApplied(List<Applier.Applied> a) {
        return change(d -> d.applied = a);
    }

    Pass withKept(List<InventoryEntry> k) {
        return change(d -> d.kept = k);
    }

    Pass withDrifts(List<Drift> d) {
        return change(draft -> draft.drifts = d);
    }

    Pass withSuperseded(List<HistoryEntry> s) {
        return change(d -> d.superseded = s);
    }

    Pass with(List<? extends Fact> more) {
        List<Fact> all = new ArrayList<>(facts);
        all.addAll(more);
        return change(d -> d.facts = all);
    }

    Pass with(Fact fact) {
        return with(List.of(fact));
    }

    /** This pass with the fields {@code edit} sets changed and all others as they are. */
    private Pass change(Consumer<Draft> edit) {
        Draft draft = new Draft(this);
        edit.accept(draft);
        return draft.pass();
    }

    /** A pass being changed: one copy of every field, so each wither names only the field it sets. */
    private static final class Draft {
        private final Mode mode;
        private AppState state;
        private Optional<String> head;
        private Optional<Revision> commit;
        private Optional<Rendered> rendered;
        private List<Manifest> manifests;
        private Optional<Plan> plan;
        private List<Applier.Applied> applied;
        private List<InventoryEntry> kept;
        private List<Drift> drifts;
        private List<HistoryEntry> superseded;
        private List<Fact> facts;
        private Set<String> secretValues;
        private Optional<CachedParse> parseCache;

        Draft(Pass p) {
            mode = p.mode;
            state = p.state;
            head = p.head;
            commit = p.commit;
            rendered = p.rendered;
            manifests = p.manifests;
            plan = p.plan;
            applied = p.applied;
            kept = p.kept;
            drifts = p.drifts;
            superseded = p.superseded;
            facts = p.facts;
            secretValues = p.secretValues;
            parseCache = p.parseCache;
        }

        Pass pass() {
            return new Pass(
                    mode,
                    state,
                    head,
                    commit,
                    rendered,
                    manifests,
                    plan,
                    applied,
                    kept,
                    drifts,
                    superseded,
                    facts,
                    secretValues,
                    parseCache);
        }
    }
}
