package dev.lockstep.server;

import dev.lockstep.cluster.AppRecords;
import dev.lockstep.cluster.ControllerRevisions;
import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.cluster.ReplicaSetLister;
import dev.lockstep.history.HistoryQuery;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.report.ReconcileListener;
import dev.lockstep.rollout.ObjectReadiness;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page and its feeds, served by {@link StatusServer} when {@link Endpoints#page()} is set:
 * <ul>
 *   <li>{@code GET /} the page, {@code GET /assets/*} its script and style, all shipped in the jar;</li>
 *   <li>{@code GET /api/apps}, {@code /api/apps/{app}} every app as the page shows it ({@link AppViews});</li>
 *   <li>{@code GET /api/apps/{app}/history/{namespace}/{name}} a Deployment's revision timeline, and
 *       {@code .../diff/{namespace}/{name}/{revision}} a past revision's pod template against the current one
 *       ({@link HistoryFeed}); {@code .../history/{kind}/{namespace}/{name}} and
 *       {@code .../diff/{kind}/{namespace}/{name}/{revision}} the same for a StatefulSet or DaemonSet (kind
 *       {@code statefulset} or {@code daemonset});</li>
 *   <li>{@code GET /events} server-sent events: {@code apps}, the whole {@code /api/apps} array, whenever any of it
 *       changed ({@link EventStream}).</li>
 * </ul>
 * Everything is read-only: no route here writes to the cluster or to git. With a {@link UiToken} every route above
 * needs it ({@link PageAuth}).
 *
 * <p>What pushes an update: the reconcile listener ({@link #listener()}: a pass ended, a commit was applied or refused, a
 * rollout ended, the app's status changed) and the watch cache ({@link #objectChanged}: a Deployment's replicas moved).
 * Changes are coalesced for {@link #COALESCE}; the snapshot is rebuilt from memory and the watch cache (no API request)
 * and sent only when it differs from the last one sent.
 */
public final class StatusPage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
    public static final int DEFAULT_MAX_EVENT_CLIENTS = 16;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    static final Duration COALESCE = Duration.ofMillis(150);

    /**
     * Where the page reads from.
     *
     * @param statuses    every app's status, e.g. {@code loop::statuses}
     * @param live        the watch cache (Deployments)
     * @param replicaSets listed only when a Deployment's history is asked for and may have changed
     * @param records     the apps' records (the results of past rollouts), read with the ReplicaSets
     * @param revisions   a StatefulSet's or DaemonSet's ControllerRevisions, listed as the ReplicaSets are
     */
    /**
     * @param secretValues per app, the values that were encrypted in git (SOPS): the revision diffs hide them; empty
     *     while they are not known yet
     */
    public record Sources(
            Supplier<List<AppStatus>> statuses,
            LiveObjects live,
            ReplicaSetLister replicaSets,
            AppRecords records,
            ControllerRevisions revisions,
            Function<String, Optional<Set<String>>> secretValues) {
        /** No app with encrypted values. */
        public Sources(
                Supplier<List<AppStatus>> statuses,
                LiveObjects live,
                ReplicaSetLister replicaSets,
                AppRecords records,
                ControllerRevisions revisions) {
            this(statuses, live, replicaSets, records, revisions, app -> Optional.of(Set.of()));
        }

        /** Without ControllerRevisions: StatefulSet and DaemonSet histories show no revision. */
        public Sources(
                Supplier<List<AppStatus>> statuses,
                LiveObjects live,
                ReplicaSetLister replicaSets,
                AppRecords records) {
            this(statuses, live, replicaSets, records, ControllerRevisions.NONE);
        }
    }

    private final Activity activity;
    private final AppViews views;
    private final HistoryFeed history;
    private final EventStream events;
    private final Optional<UiToken> token;
    private final ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "page-updates");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile String lastSent;

    public StatusPage(Sources sources, Optional<UiToken> token, Clock clock) {
        this(sources, token, clock, DEFAULT_MAX_EVENT_CLIENTS, DEFAULT_HEARTBEAT);
    }

    public StatusPage(Sources sources, Optional<UiToken> token, Clock clock, int maxEventClients, Duration heartbeat) {
        this.token = token;
        this.activity = new Activity(clock, this::changed);
        this.views = new AppViews(sources.statuses(), activity, sources.live());
        this.history = new HistoryFeed(
                views,
                activity,
                new HistoryQuery(sources.live(), sources.replicaSets(), sources.revisions(), sources.records()),
                sources.secretValues());
        this.events = new EventStream(maxEventClients, heartbeat, "apps", this::snapshot);
    }

    /** Add it to the daemon's listeners: it records what the page shows beyond the status, and pushes updates. */
    public ReconcileListener listener() {
        return activity;
    }

    /** Wire it to {@code LiveObjects.onChange}: a Deployment's, StatefulSet's, DaemonSet's or Job's rollout moved. */
    public void objectChanged(ResourceKey key) {
        if (ObjectReadiness.followsRollout(key)) {
            changed();
        }
    }

    /** The token that guards the page; {@code /status} carries the same data and is guarded by it too. */
    Optional<UiToken> token() {
        return token;
    }

    int maxEventClients() {
        return events.maxClients();
    }

    /** The routes, each behind the token when there is one. */
    Map<String, Route> routes() {
        Map<String, Route> routes = new LinkedHashMap<>();
        routes.put("/", PageHandler.page());
        routes.put("/assets", PageHandler.assets());
        routes.put("/api", new ApiHandler(views, history));
        routes.put("/events", events);
        Map<String, Route> guarded = new LinkedHashMap<>();
        routes.forEach((prefix, route) -> guarded.put(prefix, PageAuth.guard(token, prefix, route)));
        token.ifPresent(t -> guarded.put("/login", new LoginHandler(t)));
        return guarded;
    }

    private void changed() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                updates.schedule(this::push, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // closing
            }
        }
    }

    private void push() {
        scheduled.set(false);
        try {
            String now = Responses.jsonLine(views.all());
            if (!now.equals(lastSent)) {
                lastSent = now;
                events.broadcast("apps", now);
            }
        } catch (RuntimeException e) {
            log.warn("status page: cannot build the update: {}", e.getMessage());
        }
    }

    private String snapshot() {
        return Responses.jsonLine(views.all());
    }

    @Override
    public void close() {
        updates.shutdownNow();
    }
}
