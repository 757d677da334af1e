package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.config.OnManualRollback;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.Drift;
import dev.lockstep.rollout.ObjectReadiness;
import dev.lockstep.rollout.RolloutTracker;
import dev.lockstep.util.Tree;
import dev.lockstep.writeback.ManualRollbackRecorder;
import dev.lockstep.writeback.ManualRollbacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Among the drift found, recognises manual rollbacks ({@code kubectl rollout undo}) and, unless
 * {@code onManualRollback: heal}, keeps them from being healed: {@code report} leaves them alone and reports them,
 * {@code commit} pushes a commit that makes git say what the cluster runs. The template is never put back in between.
 */
final class RecordManualRollbacks implements Step {
    private final OnManualRollback mode;
    private final LiveObjects live;
    private final ReplicaSetLister replicaSets;
    private final ControllerRevisions revisions;
    private final Optional<ManualRollbackRecorder> recorder;
    /**
     * What the last look at a drifted Deployment found, by its resourceVersion: a rollback left alone in {@code report}
     * mode drifts on every pass, and without this each pass listed its ReplicaSets again. The same resourceVersion means
     * the same Deployment, template and status, so the same finding.
     */
    private final Map<ResourceKey, Finding> findings = new ConcurrentHashMap<>();

    private record Finding(String resourceVersion, Optional<ManualRollbacks.ManualRollback> rollback) {}

    RecordManualRollbacks(
            OnManualRollback mode,
            LiveObjects live,
            ReplicaSetLister replicaSets,
            ControllerRevisions revisions,
            Optional<ManualRollbackRecorder> recorder) {
        this.mode = mode;
        this.live = live;
        this.replicaSets = replicaSets;
        this.revisions = revisions;
        this.recorder = recorder;
    }

    @Override
    public StepResult run(Pass pass) {
        if (mode == OnManualRollback.HEAL || pass.drifts().isEmpty()) {
            return new StepResult.Continue(pass);
        }
        List<Drift> toHeal = new ArrayList<>();
        findings.keySet().retainAll(pass.drifts().stream().map(Drift::key).toList());
        Pass out = pass;
        try {
            for (Drift d : pass.drifts()) {
                Optional<ManualRollbacks.ManualRollback> rollback = manualRollback(d);
                if (rollback.isEmpty()) {
                    toHeal.add(d);
                } else if (mode == OnManualRollback.REPORT || recorder.isEmpty()) {
                    out = out.with(new Fact.Drifted(d.key(), d.field(), false));
                } else {
                    out = record(out, d.key(), rollback.get());
                }
            }
        } catch (GitSourceException e) {
            return GitFailure.retry(pass, e);
        }
        return new StepResult.Continue(out.withDrifts(toHeal));
    }

    /**
     * A drift of a Deployment's pod template to an older ReplicaSet's, or of a StatefulSet's or DaemonSet's to an older
     * ControllerRevision's, one that a Lockstep commit made.
     */
    private Optional<ManualRollbacks.ManualRollback> manualRollback(Drift d) {
        ResourceKey key = d.key();
        if (!d.field().startsWith("spec.template")) {
            return Optional.empty();
        }
        if (ObjectReadiness.hasControllerRevisions(key)) {
            return live.get(ObjectReadiness.apiVersionOf(key), key)
                    .flatMap(o -> ManualRollbacks.findControllerRevision(
                            o,
                            revisions.ownedBy(
                                    key.namespace(), key.kind(), key.name(), ReplicaSetLister.selectorOf(o))));
        }
        if (!ObjectReadiness.isDeployment(key)) {
            return Optional.empty();
        }
        Optional<String> version = live.resourceVersion(RolloutTracker.DEPLOYMENT_API, key);
        Finding known = findings.get(key);
        if (known != null && version.isPresent() && version.get().equals(known.resourceVersion())) {
            return known.rollback();
        }
        Optional<Map<String, Object>> deployment = live.get(RolloutTracker.DEPLOYMENT_API, key);
        Optional<ManualRollbacks.ManualRollback> found = deployment.flatMap(dep -> ManualRollbacks.find(
                dep, replicaSets.ownedBy(key.namespace(), key.name(), ReplicaSetLister.selectorOf(dep))));
        deployment
                .flatMap(dep -> Tree.string(dep, "metadata", "resourceVersion"))
                .ifPresent(rv -> findings.put(key, new Finding(rv, found)));
        return found;
    }

    private Pass record(Pass pass, ResourceKey key, ManualRollbacks.ManualRollback rollback) throws GitSourceException {
        AppRecord record = pass.state().record();
        Optional<ManualRollbackRecorder.Recorded> recorded =
                recorder.get().record(record, pass.requireHead(), key, rollback);
        if (recorded.isEmpty()) {
            return pass; // decided at this head already (e.g. the push was refused): left alone until the head moves
        }
        ManualRollbackRecorder.Recorded r = recorded.get();
        AppRecord updated = record.with(r.decision().recorded());
        if (r.history().isPresent()) {
            List<HistoryEntry> history = new ArrayList<>(updated.history());
            history.add(r.history().get());
            updated = updated.withHistory(history);
        }
        Optional<String> note = r.decision().pushed().isPresent()
                ? Optional.empty()
                : Optional.of(r.decision().summary());
        Pass out = pass.with(new Fact.WroteBack(r.decision()))
                .withState(pass.state().withRecord(updated).withWriteBackNote(note));
        return r.decision().pushed().map(out::withHead).orElse(out);
    }
}
