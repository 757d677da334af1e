package dev.lockstep.plan;

import dev.lockstep.cluster.ClusterException;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ObjectApi;
import dev.lockstep.model.SecretMask;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Writes a plan stage by stage; the objects of one stage go out concurrently. Stops at the first failing stage. Fields
 * the plan takes over from other managers are taken over just before their object's apply. After a Helm hook stage,
 * the hook Jobs and Pods it (re)created must run to their end before the next stage ({@link HookWait}). A
 * failure that is not a {@link ClusterException} is a bug and is thrown, never reported as a retryable error.
 */
public final class Applier {
    private final ObjectApi objects;
    private final LiveObjects live;
    private final Executor pool;
    private final HookWait hooks;

    public Applier(ObjectApi objects, LiveObjects live, Executor pool, HookWait hooks) {
        this.objects = objects;
        this.live = live;
        this.pool = pool;
        this.hooks = hooks;
    }

    /** With hook waits on the system clock. */
    public Applier(ObjectApi objects, LiveObjects live, Executor pool) {
        this(objects, live, pool, new HookWait(live, Clock.systemUTC(), HookWait.Sleeper.THREAD));
    }

    /** As {@link #apply(Plan, Duration)}, with Helm's default render timeout for hooks. */
    public ApplyResult apply(Plan plan) {
        return apply(plan, Duration.ofSeconds(60));
    }

    /** @param hookTimeout how long a Helm hook stage's Jobs and Pods may take to end after the stage is applied */
    public ApplyResult apply(Plan plan, Duration hookTimeout) {
        List<Applied> applied = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            List<Change> batch = plan.changes().stream()
                    .filter(c -> c.stage() == stage && c.writes())
                    .toList();
            List<CompletableFuture<Applied>> futures = batch.stream()
                    .map(c -> CompletableFuture.supplyAsync(() -> applyOne(c, hookTimeout), pool))
                    .toList();
            List<String> errors = new ArrayList<>();
            boolean retryable = true;
            boolean forbidden = false;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    applied.add(futures.get(i).join());
                } catch (CompletionException e) {
                    ClusterException failure = ClusterException.expected(e.getCause());
                    errors.add(batch.get(i).manifest().location() + ": " + failure.getMessage());
                    retryable &= failure.retryable();
                    forbidden |= failure.status() == 403;
                }
            }
            if (!errors.isEmpty()) {
                return new ApplyResult(applied, errors, retryable && !forbidden, forbidden);
            }
            if (stage == Stage.HELM_HOOKS_BEFORE || stage == Stage.HELM_HOOKS_AFTER) {
                HookWait.Outcome outcome = hooks.await(
                        HookWait.awaited(applied.subList(applied.size() - batch.size(), applied.size())), hookTimeout);
                if (!outcome.problems().isEmpty()) {
                    return new ApplyResult(applied, outcome.problems(), outcome.retryable(), false);
                }
            }
        }
        return new ApplyResult(applied, List.of(), true, false);
    }

    private Applied applyOne(Change change, Duration hookTimeout) {
        change.adopting()
                .ifPresent(a -> objects.replaceManagedFields(
                        change.key(),
                        change.apiVersion(),
                        a.takeover().resourceVersion(),
                        a.takeover().managedFields()));
        Map<String, Object> result;
        if (change.recreates()) {
            objects.delete(change.key(), change.apiVersion());
            hooks.awaitGone(change, hookTimeout);
            result = objects.create(change.key(), change.body());
        } else {
            result = change.createsNew()
                    ? objects.create(change.key(), change.body())
                    : objects.apply(change.key(), change.body());
        }
        live.expectVersion(
                change.key(), Tree.string(result, "metadata", "resourceVersion").orElse(null));
        return new Applied(change, result);
    }

    /** One object written, with the server's answer. */
    public record Applied(Change change, Map<String, Object> result) {
        /** With Secret values hidden ({@link SecretMask}). */
        @Override
        public String toString() {
            return "Applied[change=" + change + ", result=" + SecretMask.masked(result) + "]";
        }
    }

    /**
     * What got written; when {@code errors} is not empty, later stages were not attempted. {@code forbidden}: the API
     * server refused a write (RBAC), which a retry does not change.
     */
    public record ApplyResult(List<Applied> applied, List<String> errors, boolean retryable, boolean forbidden) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }
}
