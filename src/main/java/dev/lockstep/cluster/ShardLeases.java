package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
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
 */
public final class ShardLeases {
    static final String ROLE_LABEL = "lockstep.dev/role";
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

    /** Creates or renews this replica's own Lease. */
    public void announce(String identity, Duration duration) {
        String name = replicaLease(identity);
        Lease current = leases().withName(name).get();
        Lease next = heldBy(current, name, REPLICA_ROLE, identity, duration);
        try {
            if (current == null) {
                leases().resource(next).create();
            } else {
                leases().resource(next).update();
            }
        } catch (KubernetesClientException e) {
            throw failure("announce replica " + identity + " in Lease " + namespace + "/" + name, e);
        }
    }

    /** Deletes this replica's own Lease: the others see it gone at their next look, not a Lease duration later. */
    public void leave(String identity) {
        try {
            leases().withName(replicaLease(identity)).delete();
        } catch (KubernetesClientException e) {
            throw failure("remove replica Lease of " + identity, e);
        }
    }

    /** The identities of the replicas whose Lease was renewed within its duration, sorted. */
    public List<String> liveReplicas() {
        try {
            return leases().withLabel(ROLE_LABEL, REPLICA_ROLE).list().getItems().stream()
                    .filter(this::current)
                    .map(l -> l.getSpec().getHolderIdentity())
                    .sorted()
                    .toList();
        } catch (KubernetesClientException e) {
            throw failure("list replica Leases in " + namespace, e);
        }
    }

    /**
     * Takes or renews {@code app}'s Lease for {@code identity}: true when it holds the Lease now (renewed at this
     * moment). False, without error, when another replica holds an unexpired Lease or won a race for it.
     */
    public boolean hold(String app, String identity, Duration duration) {
        String name = appLease(app);
        try {
            Lease current = leases().withName(name).get();
            if (current != null && !identity.equals(holderOf(current)) && current(current)) {
                return false;
            }
            Lease next = heldBy(current, name, APP_ROLE, identity, duration);
            if (current == null) {
                leases().resource(next).create();
            } else {
                // update() sends the resourceVersion read above: a concurrent change makes it fail with 409
                leases().resource(next).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false; // another replica wrote the Lease since it was read
            }
            throw failure("take Lease " + namespace + "/" + name + " for app " + app, e);
        }
    }

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
                throw failure("release Lease " + namespace + "/" + name, e);
            }
        }
    }

    /** Which replica holds {@code app}'s Lease now, if any (for status). */
    public Optional<String> holder(String app) {
        try {
            Lease current = leases().withName(appLease(app)).get();
            return current == null || !current(current) ? Optional.empty() : Optional.ofNullable(holderOf(current));
        } catch (KubernetesClientException e) {
            throw failure("read Lease of app " + app, e);
        }
    }

    /** {@code current} (or a new Lease when there is none) held by {@code identity} and renewed now. */
    private Lease heldBy(Lease current, String name, String role, String identity, Duration duration) {
        return new LeaseBuilder(current == null ? new Lease() : current)
                .editOrNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(ROLE_LABEL, role)
                .endMetadata()
                .editOrNewSpec()
                .withHolderIdentity(identity)
                .withLeaseDurationSeconds(seconds(duration))
                .withRenewTime(now())
                .endSpec()
                .build();
    }

    private static ClusterException failure(String what, KubernetesClientException e) {
        return new ClusterException("cannot " + what + ": " + e.getMessage(), e.getCode(), e);
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
