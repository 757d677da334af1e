package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.util.Causes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Leases of sharding, in the state namespace: one per live replica ("I am here", {@code lockstep-replica-*}) and
 * one per app ("I reconcile it", {@code lockstep-app-<app>}). An app's Lease changes hands only by a compare-and-swap on
 * its resourceVersion, and only when its holder gave it up or let it expire: two replicas can never both hold it.
 *
 * <p>Every failure is a {@link ShardLeaseException} naming the Lease and what the API server said.
 */
public final class ShardLeases {
    static final String REPLICA_ROLE = "replica";
    static final String APP_ROLE = "app";

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public ShardLeases(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * Creates or renews this replica's own Lease.
     *
     * @throws ShardLeaseException naming the Lease, when it cannot be read or written
     */
    public void announce(String identity, Duration duration) {
        String name = replicaLease(identity);
        try {
            Lease current = leases().withName(name).get();
            Lease next = heldBy(current, name, REPLICA_ROLE, identity, duration);
            if (current == null) {
                leases().resource(next).create();
            } else {
                leases().resource(next).update();
            }
        } catch (KubernetesClientException e) {
            throw failure("renew", name, "replica " + identity, e);
        }
    }

    /** Deletes this replica's own Lease: the others see it gone at their next look, not a Lease duration later. */
    public void leave(String identity) {
        String name = replicaLease(identity);
        try {
            leases().withName(name).delete();
        } catch (KubernetesClientException e) {
            throw failure("delete", name, "replica " + identity, e);
        }
    }

    /** The identities of the replicas whose Lease was renewed within its duration, sorted. */
    public List<String> liveReplicas() {
        try {
            return leases().withLabel(MetadataKeys.SHARD_ROLE, REPLICA_ROLE).list().getItems().stream()
                    .filter(this::current)
                    .map(l -> l.getSpec().getHolderIdentity())
                    .sorted()
                    .toList();
        } catch (KubernetesClientException e) {
            throw new ShardLeaseException(
                    "cannot list the replica Leases (label " + MetadataKeys.SHARD_ROLE + "=" + REPLICA_ROLE
                            + ") in namespace " + namespace + ": " + reason(e),
                    namespace,
                    e.getCode(),
                    e);
        }
    }

    /**
     * Takes or renews {@code app}'s Lease for {@code identity}. {@link Holding#held()} is true when it holds the Lease
     * now (renewed at this moment); false, without error, when another replica holds an unexpired Lease or won a race
     * for it. A conflict caused by someone else's {@linkplain #requestPass pass request} (the holder unchanged) is
     * retried once with the new version.
     */
    public Holding hold(String app, String identity, Duration duration) {
        String name = appLease(app);
        try {
            for (int attempt = 1; ; attempt++) {
                Lease current = leases().withName(name).get();
                if (current != null && !identity.equals(holderOf(current)) && current(current)) {
                    return new Holding(false, passRequest(current));
                }
                Lease next = heldBy(current, name, APP_ROLE, identity, duration);
                try {
                    if (current == null) {
                        leases().resource(next).create();
                    } else {
                        // update() sends the resourceVersion read above: a concurrent change makes it fail with 409
                        leases().resource(next).update();
                    }
                    return new Holding(true, passRequest(current));
                } catch (KubernetesClientException e) {
                    boolean ours = current != null && identity.equals(holderOf(current));
                    if (e.getCode() != 409 || !ours || attempt == 2) {
                        throw e;
                    }
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return new Holding(false, Optional.empty()); // another replica wrote the Lease since it was read
            }
            throw failure("take or renew", name, "app " + app, e);
        }
    }

    /**
     * Asks whoever holds {@code app}'s Lease for a pass now (a webhook reached a replica that does not own the app): an
     * annotation on the Lease, naming the moment and {@code by}, which the holder sees at its next renewal. A merge
     * patch without a resourceVersion, so it never conflicts. False when the app has no Lease yet: its first holder
     * runs a pass as it takes it anyway.
     */
    public boolean requestPass(String app, String by) {
        String name = appLease(app);
        String patch = "{\"metadata\":{\"annotations\":{\"" + MetadataKeys.PASS_REQUESTED + "\":\"" + clock.instant()
                + " by " + by.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}}";
        try {
            leases().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw failure("request a pass through", name, "app " + app, e);
        }
    }

    /** The outcome of {@link #hold}: whether this replica holds the app now, and the last pass asked of the holder. */
    public record Holding(boolean held, Optional<String> passRequest) {}

    /** Gives {@code app}'s Lease up if {@code identity} holds it, so the next owner need not wait for it to expire. */
    public void release(String app, String identity) {
        String name = appLease(app);
        try {
            Lease current = leases().withName(name).get();
            if (current == null || !identity.equals(holderOf(current))) {
                return;
            }
            Lease released = new LeaseBuilder(current)
                    .editSpec()
                    .withHolderIdentity(null)
                    .endSpec()
                    .build();
            leases().resource(released).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw failure("release", name, "app " + app, e);
            }
        }
    }

    /** Which replica holds {@code app}'s Lease now, if any (for status). */
    public Optional<String> holder(String app) {
        String name = appLease(app);
        try {
            Lease current = leases().withName(name).get();
            return current == null || !current(current) ? Optional.empty() : Optional.ofNullable(holderOf(current));
        } catch (KubernetesClientException e) {
            throw failure("read", name, "app " + app, e);
        }
    }

    /** {@code current} (or a new Lease when there is none) held by {@code identity} and renewed now. */
    private Lease heldBy(Lease current, String name, String role, String identity, Duration duration) {
        return new LeaseBuilder(current == null ? new Lease() : current)
                .editOrNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(MetadataKeys.SHARD_ROLE, role)
                .endMetadata()
                .editOrNewSpec()
                .withHolderIdentity(identity)
                .withLeaseDurationSeconds(seconds(duration))
                .withRenewTime(now())
                .endSpec()
                .build();
    }

    /** E.g. "cannot renew Lease lockstep-system/lockstep-replica-a (replica a): HTTP 500: etcd timeout". */
    private ShardLeaseException failure(String verb, String name, String whose, KubernetesClientException e) {
        String lease = namespace + "/" + name;
        return new ShardLeaseException(
                "cannot " + verb + " Lease " + lease + " (" + whose + "): " + reason(e), lease, e.getCode(), e);
    }

    /** The server's own words when it answered, else why no answer came (not fabric8's whole request line). */
    private static String reason(KubernetesClientException e) {
        if (e.getCode() <= 0) {
            return "no answer from the API server (" + Causes.rootMessage(e) + ")";
        }
        String said = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : Causes.rootMessage(e);
        return "HTTP " + e.getCode() + ": " + said;
    }

    static String appLease(String app) {
        return "lockstep-app-" + app;
    }

    /** A pod name is a valid Lease name already; anything else (a host name with capitals) gets a hash. */
    static String replicaLease(String identity) {
        String plain = "lockstep-replica-" + identity;
        if (plain.length() <= 253 && DNS_SUBDOMAIN.matcher(plain).matches()) {
            return plain;
        }
        String readable = identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        readable = readable.substring(0, Math.min(40, readable.length())).replaceAll("-+$", "");
        return "lockstep-replica-" + readable + "-" + hash(identity);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> passRequest(Lease lease) {
        return lease == null
                        || lease.getMetadata() == null
                        || lease.getMetadata().getAnnotations() == null
                ? Optional.empty()
                : Optional.ofNullable(lease.getMetadata().getAnnotations().get(MetadataKeys.PASS_REQUESTED));
    }

    private static String holderOf(Lease lease) {
        return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Held, and renewed within its duration. */
    private boolean current(Lease lease) {
        if (lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null) {
            return false;
        }
        ZonedDateTime renewed = lease.getSpec().getRenewTime();
        Integer seconds = lease.getSpec().getLeaseDurationSeconds();
        if (renewed == null || seconds == null) {
            return false;
        }
        return renewed.toInstant().plusSeconds(seconds).isAfter(clock.instant());
    }

    private ZonedDateTime now() {
        return ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static int seconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
        return client.leases().inNamespace(Objects.requireNonNull(namespace));
    }
}
