package dev.lockstep.daemon;

import dev.lockstep.cluster.ShardLeases;
import dev.lockstep.util.Rendezvous;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sharding: true}: every replica works, each on its share of the apps.
 *
 * <p>Every retry period a replica renews its own Lease ("I am here"), lists the live replicas, and gives each app to the
 * replica that rendezvous hashing names among them. For each app it owns it takes or renews the app's Lease (a
 * compare-and-swap); an app it no longer owns it releases. <b>It writes for an app only while it holds that app's
 * Lease and renewed it less than the renew deadline ago</b> (shorter than the Lease duration the next owner waits), so
 * two replicas never reconcile one app at once, even while the member list differs between them: the new owner gets
 * the Lease only once the old one released it or let it expire. An app that moves away stops being written at once,
 * and its Lease is released one look later, so a write already past its fence check lands before the next owner's.
 *
 * <p>A webhook can reach any replica: one that does not hold the app asks the holder through an annotation on the
 * app's Lease ({@link #askOwnerForPass}), which the holder reads as it renews the Lease, one retry period later at
 * most, so no watch and no extra request are needed.
 *
 * <p>A replica that dies stops renewing: its Leases expire after one Lease duration, and the next look of a survivor
 * (one retry period later) takes its apps over.
 */
public final class Sharding implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sharding.class);
    /** Looks (retry periods) after start in which a replica only announces itself. */
    static final int WARM_UP_LOOKS = 2;

    private final ShardLeases leases;
    private final String identity;
    private final List<String> apps;
    private final LeaderElection.Timing timing;
    private final Clock clock;
    private final Consumer<String> gained;
    private final Consumer<String> requested;
    private final Map<String, Instant> renewed = new ConcurrentHashMap<>();
    /** Apps moved to another replica whose Lease this one still has to release (at the look after the move). */
    private final java.util.Set<String> handingOn = ConcurrentHashMap.newKeySet();
    /** Per app: how many times this replica took its Lease, the term of its right to write the app. */
    private final Map<String, Long> takes = new ConcurrentHashMap<>();
    /** Per app held: the last pass request seen on its Lease, so each one triggers one pass. */
    private final Map<String, String> passRequests = new ConcurrentHashMap<>();

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sharding");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile List<String> members = List.of();
    private int looks;

    /**
     * @param gained    called (on the sharding thread) when this replica starts holding an app's Lease
     * @param requested called (on the sharding thread) when another replica asked, through the Lease of an app this one
     *     holds, for a pass of it
     */
    public Sharding(
            ShardLeases leases,
            String identity,
            List<String> apps,
            LeaderElection.Timing timing,
            Clock clock,
            Consumer<String> gained,
            Consumer<String> requested) {
        this.leases = leases;
        this.identity = identity;
        this.apps = List.copyOf(apps);
        this.timing = timing;
        this.clock = clock;
        this.gained = gained;
        this.requested = requested;
    }

    public void start() {
        long period = timing.retryPeriod().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /** One look: announce, list the members, take or renew the apps this replica owns, release the others. */
    void tick() {
        Instant started = clock.instant();
        try {
            leases.announce(identity, timing.leaseDuration());
            List<String> live = leases.liveReplicas();
            members = live.contains(identity)
                    ? live
                    : java.util.stream.Stream.concat(live.stream(), java.util.stream.Stream.of(identity))
                            .sorted()
                            .toList();
        } catch (RuntimeException e) {
            // The fences of the apps held run out on their own after the renew deadline.
            log.warn("{}: cannot renew its replica Lease or list the replicas: {}", identity, e.getMessage());
            return;
        }
        if (++looks <= WARM_UP_LOOKS) {
            return; // replicas started together see each other before any takes an app it would hand on at once
        }
        for (String app : apps) {
            try {
                if (identity.equals(plannedOwner(app).orElse(null))) {
                    handingOn.remove(app);
                    hold(app, started);
                } else if (renewed.remove(app) != null) {
                    // Its writes are refused from now on; the Lease is released at the next look, so a write that
                    // had passed its fence check just before lands before the next owner can take the app.
                    passRequests.remove(app);
                    handingOn.add(app);
                    log.info(
                            "{}: app {} moves to {}; releasing its Lease at the next look",
                            identity,
                            app,
                            plannedOwner(app).orElse("-"));
                } else if (handingOn.contains(app)) {
                    leases.release(app, identity);
                    handingOn.remove(app); // only once released: a failed release is tried again at the next look
                }
            } catch (RuntimeException e) {
                log.warn("{}: app {}: cannot take, renew or release its Lease: {}", identity, app, e.getMessage());
            }
        }
    }

    private void hold(String app, Instant started) {
        ShardLeases.Holding holding = leases.hold(app, identity, timing.leaseDuration());
        String request = holding.passRequest().orElse("");
        if (holding.held()) {
            if (!renewed.containsKey(app)) {
                takes.merge(app, 1L, Long::sum); // before the put below opens the app's writes
            }
            String before = passRequests.put(app, request);
            if (renewed.put(app, started) == null) {
                log.info("{}: holds app {} now", identity, app);
                gained.accept(app); // runs a pass anyway: a request made before it took the app is answered by it
            } else if (!request.equals(before)) {
                log.info("{}: app {}: a pass was asked through its Lease ({})", identity, app, request);
                requested.accept(app);
            }
        } else if (renewed.remove(app) != null) {
            passRequests.remove(app);
            log.warn("{}: lost the Lease of app {} to another replica", identity, app);
        }
    }

    /**
     * A webhook asked this replica for a pass of {@code app}, which it does not hold: asks the app's holder through the
     * app's Lease, which the holder reads at its next renewal (within one retry period). Done on the sharding thread,
     * so the webhook's answer never waits for the API server.
     */
    public void askOwnerForPass(String app) {
        try {
            ticker.execute(() -> {
                try {
                    if (leases.requestPass(app, identity)) {
                        log.info(
                                "{}: app {} is worked on by {}: asked it for a pass through the app's Lease",
                                identity,
                                app,
                                plannedOwner(app).orElse("-"));
                    }
                } catch (RuntimeException e) {
                    log.warn("{}: app {}: cannot ask its owner for a pass: {}", identity, app, e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.info("{}: shutting down: not asking the owner of app {} for a pass", identity, app);
        }
    }

    /** True while this replica holds {@code app}'s Lease, renewed less than the renew deadline ago: it may write. */
    public boolean mayWrite(String app) {
        Instant at = renewed.get(app);
        return at != null && clock.instant().isBefore(at.plus(timing.renewDeadline()));
    }

    /** How many times this replica took {@code app}'s Lease: it changes before the app's writes open again. */
    public long takes(String app) {
        return takes.getOrDefault(app, 0L);
    }

    /** The replica this one believes owns {@code app} (the rendezvous winner among the replicas it last saw). */
    public Optional<String> plannedOwner(String app) {
        return Rendezvous.owner(app, members);
    }

    /** Who works on {@code app}: this replica while it may write, else the rendezvous winner it last saw. */
    public Optional<String> owner(String app) {
        return mayWrite(app) ? Optional.of(identity) : plannedOwner(app);
    }

    /** How many replicas (this one included) were live at the last look. */
    public int liveReplicas() {
        return members.size();
    }

    public String identity() {
        return identity;
    }

    /** Stops looking, releases the apps held and removes this replica's Lease: the others take over at once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the loop has stopped before this (Daemon.close): no write is in flight, so every Lease goes at once
        java.util.Set<String> held = new java.util.TreeSet<>(renewed.keySet());
        held.addAll(handingOn);
        for (String app : held) {
            renewed.remove(app);
            handingOn.remove(app);
            passRequests.remove(app);
            try {
                leases.release(app, identity);
            } catch (RuntimeException e) {
                log.warn(
                        "{}: app {}: cannot release its Lease (it expires on its own): {}",
                        identity,
                        app,
                        e.getMessage());
            }
        }
        try {
            leases.leave(identity);
        } catch (RuntimeException e) {
            log.warn("{}: cannot remove its replica Lease (it expires on its own): {}", identity, e.getMessage());
        }
    }
}
