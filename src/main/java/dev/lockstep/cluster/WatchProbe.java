package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Asks the API server, with one short watch, whether a kind changed after the version an informer has seen: a watch
 * from that version replays every later event of the kind (none when the informer is current). It tells a watch
 * that stalled without closing (its TCP connection open, no byte coming) from a quiet one, which a watch alone cannot.
 *
 * <p>The probe asks for bookmarks. The server sends one 2 s before a watch's timeout (and every minute), carrying the
 * newest version of the kind it has, changed objects of other owners and namespaces included; every event the watch
 * matches up to that version has come before it. So a probe that ends with a bookmark and no event the informer lacks
 * proves the informer current up to the bookmark's version, and the next probe starts from there. Without that, on a
 * server where other objects of the kind keep changing, the informer's own version (which moves only with Lockstep's
 * objects and the informer's minute bookmarks) would leave the server's window and the probe would get 410 Gone.
 */
final class WatchProbe {
    /** What the probe found. */
    enum Verdict {
        /** Nothing after the informer's version, or nothing the informer had not received by the end of the probe. */
        CURRENT,
        /** The server has events after the informer's version that the informer has not received. */
        MISSED,
        /** The server no longer keeps events that old (410 Gone): the probe cannot tell, only a fresh list can. */
        TOO_OLD,
        /** The probe got no answer in time: the connection is as dead as the watch may be. */
        NO_ANSWER
    }

    /**
     * @param verdict  what the probe found
     * @param provenTo when {@link Verdict#CURRENT} and the server sent a bookmark: the version up to which the informer
     *     has every event (the next probe may start there)
     */
    record Answer(Verdict verdict, Optional<String> provenTo) {
        static Answer of(Verdict verdict) {
            return new Answer(verdict, Optional.empty());
        }
    }

    private final Duration window;
    private final Duration catchUp;

    /**
     * @param window  the probe watch's timeout (at least 3 s, so that its bookmark, sent 2 s before, comes while it is
     *     open); it ends earlier when the bookmark has come
     * @param catchUp how long the informer may take to receive an event the probe saw, before it counts as missed
     */
    WatchProbe(Duration window, Duration catchUp) {
        this.window = window;
        this.catchUp = catchUp;
    }

    /**
     * @param sinceVersion the newest version up to which the informer is known to have every event
     * @param seenVersion  the informer's version, read when the probe has its answer (it may have moved meanwhile)
     */
    Answer probe(
            KubernetesClient client,
            String apiVersion,
            String kind,
            String sinceVersion,
            Supplier<String> seenVersion) {
        AtomicReference<String> newest = new AtomicReference<>();
        CompletableFuture<String> bookmark = new CompletableFuture<>();
        CompletableFuture<Optional<WatcherException>> closed = new CompletableFuture<>();
        Watch watch;
        try {
            watch = client.genericKubernetesResources(apiVersion, kind)
                    .inAnyNamespace()
                    .withLabel(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                    .watch(
                            new ListOptionsBuilder()
                                    .withResourceVersion(sinceVersion)
                                    .withTimeoutSeconds(Math.max(3, window.toSeconds()))
                                    .withAllowWatchBookmarks(true)
                                    .build(),
                            new Watcher<GenericKubernetesResource>() {
                                @Override
                                public void eventReceived(Action action, GenericKubernetesResource resource) {
                                    String v = resource == null || resource.getMetadata() == null
                                            ? null
                                            : resource.getMetadata().getResourceVersion();
                                    if (v == null) {
                                        return;
                                    }
                                    if (action == Action.BOOKMARK) {
                                        bookmark.complete(v);
                                    } else if (!bookmark.isDone()) {
                                        newest.accumulateAndGet(
                                                v, (a, b) -> a == null || LiveCache.atOrAfter(b, a) ? b : a);
                                    }
                                }

                                @Override
                                public void onClose(WatcherException cause) {
                                    closed.complete(Optional.of(cause));
                                }

                                @Override
                                public void onClose() {
                                    closed.complete(Optional.empty());
                                }
                            });
        } catch (RuntimeException e) {
            return Answer.of(Verdict.NO_ANSWER);
        }
        Optional<WatcherException> ended = Optional.empty();
        try {
            Object first =
                    CompletableFuture.anyOf(bookmark, closed).get(window.toMillis() + 500, TimeUnit.MILLISECONDS);
            if (first instanceof Optional<?>) {
                ended = closed.getNow(Optional.empty());
            }
        } catch (TimeoutException e) {
            // no bookmark (nothing of the kind changed since) and the server's close not seen (the client would open
            // the watch again): close it here; what arrived meanwhile is the answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watch.close();
            return Answer.of(Verdict.CURRENT);
        } catch (ExecutionException e) {
            // never completed exceptionally
        } finally {
            watch.close();
        }
        if (ended.isPresent() && ended.get().isHttpGone()) {
            return Answer.of(Verdict.TOO_OLD);
        }
        String last = newest.get();
        if (last != null && !caughtUp(seenVersion, last)) {
            return Answer.of(Verdict.MISSED);
        }
        return new Answer(Verdict.CURRENT, Optional.ofNullable(bookmark.getNow(null)));
    }

    /** Whether the informer has (or gets within {@link #catchUp}) the version the probe saw: watches race. */
    private boolean caughtUp(Supplier<String> seenVersion, String version) {
        long until = System.nanoTime() + catchUp.toNanos();
        while (!LiveCache.atOrAfter(seenVersion.get(), version)) {
            if (System.nanoTime() - until > 0) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return true;
    }
}
