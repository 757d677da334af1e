package dev.lockstep.metrics;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.WriteBack;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.RolloutStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns reconcile events into Micrometer meters. Series as Prometheus shows them:
 *
 * <table>
 *   <caption>Prometheus series</caption>
 *   <tr><th>Series</th><th>Labels</th><th>Meaning</th></tr>
 *   <tr><td>{@code lockstep_reconcile_seconds_count}, {@code _sum}, {@code _max}</td><td>app, result
 *       (unchanged|applied|stalled|retry)</td><td>reconcile passes and their duration</td></tr>
 *   <tr><td>{@code lockstep_objects_applied_total}</td><td>app, kind, action (created|updated)</td>
 *       <td>objects written by server-side apply</td></tr>
 *   <tr><td>{@code lockstep_objects_pruned_total}</td><td>app, kind</td><td>objects deleted because they left git</td></tr>
 *   <tr><td>{@code lockstep_rollouts_total}</td><td>app, result (healthy|failed)</td><td>finished Deployment rollouts</td></tr>
 *   <tr><td>{@code lockstep_rollbacks_total}</td><td>app, reused (true|false)</td><td>commits that brought back an
 *       older pod template; reused=false when the old ReplicaSet was gone and a new one was made</td></tr>
 *   <tr><td>{@code lockstep_drift_total}</td><td>app, kind, corrected (true|false)</td><td>live fields found to differ
 *       from git; corrected=true when self-heal put git's version back</td></tr>
 *   <tr><td>{@code lockstep_writebacks_total}</td><td>app, action (revert-failed-rollout|record-manual-rollback),
 *       result (pushed|declined)</td><td>Lockstep's decisions about writing to git</td></tr>
 *   <tr><td>{@code lockstep_git_errors_total}</td><td>app</td><td>failed fetches or reads of the repository</td></tr>
 *   <tr><td>{@code lockstep_prune_refusals_total}</td><td>app</td><td>prunes refused by the safety rules</td></tr>
 *   <tr><td>{@code lockstep_prune_held_total}</td><td>app</td><td>passes that kept objects a refused prune holds,
 *       waiting for a person to confirm</td></tr>
 *   <tr><td>{@code lockstep_writes_forbidden_total}</td><td>app</td><td>commits not applied because the API server
 *       forbade a write: the app's ServiceAccount (or the daemon) may not touch one of its objects</td></tr>
 *   <tr><td>{@code lockstep_commits_rejected_total}</td><td>app</td><td>commits not applied (invalid manifests,
 *       refused by the API server)</td></tr>
 *   <tr><td>{@code lockstep_commits_refused_total}</td><td>app, check (signature|history)</td><td>commits refused by a
 *       trust check: not signed by a trusted key, or a history rewrite</td></tr>
 *   <tr><td>{@code lockstep_refused_commit_info}</td><td>app, commit, check</td><td>always 1; the commit a trust check
 *       refused, at most one series per app, gone once a commit is applied</td></tr>
 *   <tr><td>{@code lockstep_app_info}</td><td>app, commit, subject</td><td>always 1; the last applied commit,
 *       exactly one series per app</td></tr>
 * </table>
 *
 * Micrometer (and Prometheus' client) require every series of a name to carry the same label keys, so each meter
 * always gets all its tags. Label values are bounded: app names and kinds come from the config and git.
 */
public final class MetricsListener implements ReconcileListener {
    static final int MAX_SUBJECT = 100;

    private final MeterRegistry registry;
    private final MultiGauge commitInfo;
    private final MultiGauge refusedInfo;
    /** The refused commit and its check per app, while the app has one. */
    private final Map<String, List<String>> refused = new TreeMap<>();
    /** Last applied commit per app; the info gauge is rebuilt from it so a new commit replaces the old series. */
    private final Map<String, Revision> lastCommit = new TreeMap<>();

    public MetricsListener(MeterRegistry registry) {
        this.registry = registry;
        this.commitInfo = MultiGauge.builder("lockstep.app.info")
                .description("The last commit applied per app (value always 1)")
                .register(registry);
        this.refusedInfo = MultiGauge.builder("lockstep.refused.commit.info")
                .description("The commit a trust check refused, per app (value always 1)")
                .register(registry);
    }

    @Override
    public void passFinished(String app, PassOutcome outcome, Duration took) {
        Timer.builder("lockstep.reconcile")
                .description("Reconcile passes by result")
                .tags("app", app, "result", outcome.label())
                .register(registry)
                .record(took);
    }

    @Override
    public void rendered(String app, String engine, Duration took) {
        Timer.builder("lockstep.render")
                .description("Renders of a new commit by an engine (kustomize), cache hits excluded")
                .tags("app", app, "engine", engine.contains(" ") ? engine.substring(0, engine.indexOf(' ')) : engine)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    @Override
    public void applied(String app, ResourceKey key, String apiVersion, Revision commit, boolean created) {
        count(
                "lockstep.objects.applied",
                "Objects written by server-side apply",
                "app",
                app,
                "kind",
                key.kind(),
                "action",
                created ? "created" : "updated");
    }

    @Override
    public void pruned(String app, ResourceKey key, String apiVersion) {
        count("lockstep.objects.pruned", "Objects deleted because they left git", "app", app, "kind", key.kind());
    }

    @Override
    public void pruneRefused(String app, String reason) {
        count("lockstep.prune.refusals", "Prunes refused by the safety rules", "app", app);
    }

    @Override
    public void pruneHeld(String app, String message) {
        count("lockstep.prune.held", "Passes that kept objects a refused prune holds", "app", app);
    }

    @Override
    public void rolloutFinished(String app, ResourceKey deployment, RolloutStatus status, Revision commit) {
        count(
                "lockstep.rollouts",
                "Finished Deployment rollouts",
                "app",
                app,
                "result",
                status.state().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void rolledBack(
            String app, ResourceKey deployment, long toRevision, long newRevision, Revision commit, boolean reused) {
        count(
                "lockstep.rollbacks",
                "Commits that brought back an older pod template",
                "app",
                app,
                "reused",
                Boolean.toString(reused));
    }

    @Override
    public void drift(String app, ResourceKey key, String field, boolean corrected) {
        count(
                "lockstep.drift",
                "Live fields that differ from git",
                "app",
                app,
                "kind",
                key.kind(),
                "corrected",
                Boolean.toString(corrected));
    }

    @Override
    public void writeBack(String app, WriteBack decision, String summary) {
        count(
                "lockstep.writebacks",
                "Decisions about writing to git: commits pushed, or declined with a reason",
                "app",
                app,
                "action",
                decision.action(),
                "result",
                decision.wasPushed() ? "pushed" : "declined");
    }

    @Override
    public void gitError(String app, String message) {
        count("lockstep.git.errors", "Failed fetches or reads of the repository", "app", app);
    }

    @Override
    public void rejected(String app, Revision commit, List<String> errors) {
        count("lockstep.commits.rejected", "Commits not applied", "app", app);
    }

    @Override
    public void commitRefused(String app, String check, String commit, String reason) {
        count("lockstep.commits.refused", "Commits refused by a trust check", "app", app, "check", check);
        synchronized (refused) {
            refused.put(app, List.of(commit, check));
            registerRefused();
        }
    }

    private void registerRefused() {
        refusedInfo.register(
                refused.entrySet().stream()
                        .map(e -> MultiGauge.Row.of(
                                Tags.of(
                                        "app",
                                        e.getKey(),
                                        "commit",
                                        e.getValue().get(0),
                                        "check",
                                        e.getValue().get(1)),
                                1))
                        .toList(),
                true);
    }

    @Override
    public void writeForbidden(String app, Revision commit, List<String> reasons) {
        count(
                "lockstep.writes.forbidden",
                "Commits not applied because the API server forbade a write (RBAC)",
                "app",
                app);
    }

    @Override
    public void commitApplied(String app, Revision commit) {
        synchronized (refused) {
            if (refused.remove(app) != null) {
                registerRefused();
            }
        }
        // synchronized: passes of different apps run on different threads and the row set is replaced as a whole
        synchronized (lastCommit) {
            lastCommit.put(app, commit);
            commitInfo.register(
                    lastCommit.entrySet().stream()
                            .map(e -> MultiGauge.Row.of(
                                    Tags.of(
                                            "app",
                                            e.getKey(),
                                            "commit",
                                            e.getValue().commit(),
                                            "subject",
                                            subject(e.getValue())),
                                    1))
                            .toList(),
                    true);
        }
    }

    private void count(String name, String description, String... tags) {
        Counter.builder(name)
                .description(description)
                .tags(tags)
                .register(registry)
                .increment();
    }

    private static String subject(Revision commit) {
        String s = commit.subject() == null ? "" : commit.subject();
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT - 1) + "…";
    }
}
