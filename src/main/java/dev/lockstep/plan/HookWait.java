package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.util.Tree;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits, after a Helm hook stage is applied, for the Jobs and Pods of that stage that this pass created or created anew
 * to run to their end, as Argo CD waits for a sync phase's hooks (docs/helm.md). Reads the watch cache every
 * {@code pollEvery}, which costs no API request. A hook that fails, or is not done by the deadline, stops the apply
 * with a message naming it, its template and its hook events.
 */
public final class HookWait {
    /** How the wait pauses between looks at the cache; tests advance a fake clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final String HOOK = "helm.sh/hook";

    private final LiveObjects live;
    private final Clock clock;
    private final Sleeper sleeper;

    public HookWait(LiveObjects live, Clock clock, Sleeper sleeper) {
        this.live = live;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * How the wait ended: {@code problems} is empty when every hook succeeded. {@code retryable}: the wait was cut
     * short (the process is stopping), so the hooks' ends are unknown and the pass is tried again.
     */
    public record Outcome(List<String> problems, boolean retryable) {
        public Outcome {
            problems = List.copyOf(problems);
        }

        static final Outcome DONE = new Outcome(List.of(), true);
    }

    /** The hooks among {@code applied} that must end before the next stage: Jobs and Pods this pass (re)created. */
    static List<Applier.Applied> awaited(List<Applier.Applied> applied) {
        return applied.stream()
                .filter(a -> HookProgress.runsToEnd(a.change().key()))
                .filter(a -> a.change().live().isEmpty() || a.change().recreates())
                .toList();
    }

    /**
     * Waits until every hook of {@code hooks} has succeeded, one has failed, or {@code timeout} has passed. All hooks
     * of a stage run at once (Helm runs them one by one by weight; a stage here is applied concurrently).
     */
    public Outcome await(List<Applier.Applied> hooks, Duration timeout) {
        if (hooks.isEmpty()) {
            return Outcome.DONE;
        }
        Instant deadline = clock.instant().plus(timeout);
        Map<Applier.Applied, HookProgress> pending = new LinkedHashMap<>();
        hooks.forEach(h -> pending.put(h, new HookProgress(HookProgress.State.RUNNING, "not seen yet")));
        while (true) {
            List<String> failed = new ArrayList<>();
            for (Applier.Applied hook : List.copyOf(pending.keySet())) {
                HookProgress progress = current(hook).orElse(pending.get(hook));
                switch (progress.state()) {
                    case SUCCEEDED -> pending.remove(hook);
                    case FAILED -> failed.add(name(hook) + " failed: " + progress.detail());
                    case RUNNING -> pending.put(hook, progress);
                }
            }
            if (!failed.isEmpty()) {
                return new Outcome(failed, false);
            }
            if (pending.isEmpty()) {
                return Outcome.DONE;
            }
            if (!clock.instant().isBefore(deadline)) {
                return new Outcome(
                        pending.entrySet().stream()
                                .map(e -> name(e.getKey()) + " did not complete within " + timeout.toSeconds()
                                        + "s (render.helm.timeout): "
                                        + e.getValue().detail())
                                .toList(),
                        false);
            }
            try {
                sleeper.sleep(POLL_EVERY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(
                        pending.keySet().stream()
                                .map(h -> "stopped waiting for " + name(h))
                                .toList(),
                        true);
            }
        }
    }

    /**
     * After the delete of a hook Pod that is created anew: a Pod terminates gracefully, and its name is free only once
     * it is gone, so the create waits until the watch no longer shows the old one (at most {@code timeout}; a create
     * that comes too early is refused by the server and the pass is retried). Other kinds go at once.
     */
    void awaitGone(Change change, Duration timeout) {
        if (!change.key().kind().equals("Pod") || !change.key().group().isEmpty()) {
            return;
        }
        Optional<String> oldUid = change.live().flatMap(l -> Tree.string(l, "metadata", "uid"));
        Instant deadline = clock.instant().plus(timeout);
        while (live.get(change.apiVersion(), change.key())
                        .map(o -> Tree.string(o, "metadata", "uid").equals(oldUid))
                        .orElse(false)
                && clock.instant().isBefore(deadline)) {
            try {
                sleeper.sleep(POLL_EVERY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The hook's progress from the watch cache, once the cache holds the object this pass created: until then it may
     * still hold the one deleted before, whose old status must not count (told apart by uid).
     */
    private Optional<HookProgress> current(Applier.Applied hook) {
        Optional<String> uid = Tree.string(hook.result(), "metadata", "uid");
        return live.get(hook.change().apiVersion(), hook.change().key())
                .filter(o -> uid.isEmpty() || uid.equals(Tree.string(o, "metadata", "uid")))
                .map(o -> HookProgress.of(hook.change().key(), o));
    }

    /** {@code hook Job db-migrate (charts/web/templates/migrate.yaml, pre-upgrade)}. */
    static String name(Applier.Applied hook) {
        Change change = hook.change();
        String events = Tree.string(change.manifest().body(), "metadata", "annotations", HOOK)
                .orElse("");
        return "hook " + change.key().kind() + " " + change.key().name() + " ("
                + change.manifest().location() + (events.isEmpty() ? "" : ", " + events) + ")";
    }
}
