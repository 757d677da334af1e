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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the API server, with one short watch, whether a kind changed after the version an informer has seen: a watch
 * from that version replays every later event of the kind (none when the informer is current). It tells a watch
 * that stalled without closing (its TCP connection open, no byte coming) from a quiet one, which a watch alone cannot.
 * One request per probe, with no body when nothing changed.
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

    private final Duration window;

    /** @param window how long the probe watch stays open (the server closes it then, or the probe does) */
    WatchProbe(Duration window) {
        this.window = window;
    }

    /**
     * @param sinceVersion the informer's last seen resourceVersion
     * @param seenVersion  read after the probe: the informer's version then (it may have moved meanwhile)
     */
    Verdict probe(
            KubernetesClient client,
            String apiVersion,
            String kind,
            String sinceVersion,
            java.util.function.Supplier<String> seenVersion) {
        AtomicReference<String> newest = new AtomicReference<>();
        CompletableFuture<Optional<WatcherException>> closed = new CompletableFuture<>();
        Watch watch;
        try {
            watch = client.genericKubernetesResources(apiVersion, kind)
                    .inAnyNamespace()
                    .withLabel(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                    .watch(
                            new ListOptionsBuilder()
                                    .withResourceVersion(sinceVersion)
                                    .withTimeoutSeconds(Math.max(1, window.toSeconds()))
                                    .build(),
                            new Watcher<GenericKubernetesResource>() {
                                @Override
                                public void eventReceived(Action action, GenericKubernetesResource resource) {
                                    String v = resource.getMetadata() == null
                                            ? null
                                            : resource.getMetadata().getResourceVersion();
                                    if (v != null) {
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
            return Verdict.NO_ANSWER;
        }
        Optional<WatcherException> ended = Optional.empty();
        try {
            ended = closed.get(window.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the server did not close it at its timeout: close it here; what arrived meanwhile is the answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watch.close();
            return Verdict.CURRENT;
        } catch (java.util.concurrent.ExecutionException e) {
            // never completed exceptionally
        } finally {
            watch.close();
        }
        if (ended.isPresent() && ended.get().isHttpGone()) {
            return Verdict.TOO_OLD;
        }
        String last = newest.get();
        if (last == null) {
            return Verdict.CURRENT;
        }
        return LiveCache.atOrAfter(seenVersion.get(), last) ? Verdict.CURRENT : Verdict.MISSED;
    }
}
