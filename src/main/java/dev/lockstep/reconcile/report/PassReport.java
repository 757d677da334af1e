package dev.lockstep.reconcile.report;

import dev.lockstep.reconcile.pass.Fact;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.pass.PassResult;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what a pass did reaches users: the listeners (metrics, Kubernetes Events, the console) and the
 * log. Steps only record facts; nothing is reported before the pass has ended.
 */
public final class PassReport {
    private static final Logger log = LoggerFactory.getLogger(PassReport.class);

    private final String app;
    private final boolean selfHeal;
    private final ReconcileListener listener;

    public PassReport(String app, boolean selfHeal, ReconcileListener listener) {
        this.app = app;
        this.selfHeal = selfHeal;
        this.listener = listener;
    }

    /** @param outcome the pass's outcome, or a retry when its record could not be saved */
    public void publish(PassResult result, PassOutcome outcome, Duration took) {
        String render = result.facts().stream()
                .filter(f -> f instanceof Fact.Rendered)
                .map(f -> (Fact.Rendered) f)
                .map(r -> " (rendered by " + r.engine()
                        + (r.cached()
                                ? ", inputs unchanged: last render reused"
                                : " in " + r.took().toMillis() + " ms")
                        + ")")
                .findFirst()
                .orElse("");
        result.facts().forEach(f -> report(f, render));
        if (!result.rejected().isEmpty()) {
            result.rejected().forEach(r -> log.error("app {}: {}", app, r));
            listener.rejected(app, result.commit().orElseThrow(), result.rejected());
        } else if (result.retry().isPresent()) {
            log.warn("app {}: {}", app, result.retry().get());
        } else if (result.bug().isPresent()) {
            log.error(
                    "app {}: unexpected failure (a bug; retrying with backoff)",
                    app,
                    result.bug().get());
        }
        listener.passFinished(app, outcome, took);
    }

    private void report(Fact fact, String render) {
        if (fact instanceof Fact.ObjectApplied a) {
            listener.applied(app, a.key(), a.apiVersion(), a.commit(), a.created());
        } else if (fact instanceof Fact.ObjectPruned p) {
            listener.pruned(app, p.key(), p.apiVersion());
        } else if (fact instanceof Fact.PruneRefused r) {
            listener.pruneRefused(app, r.reason());
        } else if (fact instanceof Fact.PruneHeld h) {
            listener.pruneHeld(app, h.message());
        } else if (fact instanceof Fact.Drifted d) {
            log.warn(
                    "app {}: drift on {}: field {} differs from git{}",
                    app,
                    d.key(),
                    d.field(),
                    d.corrected()
                            ? "; restoring git's version"
                            : selfHeal
                                    ? " (a manual rollback; onManualRollback: report leaves it alone)"
                                    : " (selfHeal is off: reported only)");
            listener.drift(app, d.key(), d.field(), d.corrected());
        } else if (fact instanceof Fact.OwnershipConflict c) {
            if (!c.reported()) {
                log.error("app {}: {}", app, c.reason());
                listener.ownershipConflict(app, c.key(), c.owner(), c.reason());
            }
        } else if (fact instanceof Fact.WroteBack w) {
            if (w.decision().pushed().isPresent()) {
                log.info("app {}: {}", app, w.decision().summary());
            } else {
                log.warn("app {}: {}", app, w.decision().summary());
            }
            listener.writeBack(app, w.decision().recorded(), w.decision().summary());
        } else if (fact instanceof Fact.CommitRefused r) {
            listener.commitRefused(app, r.check(), r.commit(), r.reason());
        } else if (fact instanceof Fact.WriteForbidden f) {
            listener.writeForbidden(app, f.commit(), f.reasons());
        } else if (fact instanceof Fact.GitFailed g) {
            listener.gitError(app, g.message());
        } else if (fact instanceof Fact.Rendered r) {
            if (!r.cached()) {
                listener.rendered(app, r.engine(), r.took());
            }
        } else if (fact instanceof Fact.CommitApplied c) {
            log.info(
                    "app {}: commit {} \"{}\": {} written, {} unchanged, {} pruned{}",
                    app,
                    c.commit().shortSha(),
                    c.commit().subject(),
                    c.written(),
                    c.unchanged(),
                    c.pruned(),
                    render);
            listener.commitApplied(app, c.commit());
        }
    }
}
