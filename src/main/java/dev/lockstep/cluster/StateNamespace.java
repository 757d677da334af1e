package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Makes sure the state namespace (app records, the Lease, app-wide Events) exists before the daemon starts: created
 * when the daemon may, otherwise one clear refusal instead of a failing Lease and record write every few seconds.
 */
public final class StateNamespace {
    private final KubernetesClient client;
    private final String name;

    public StateNamespace(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** What {@link #ensure()} found. */
    public enum Outcome {
        EXISTS,
        CREATED,
        /** The daemon may not read namespaces, but may list ConfigMaps in it: it goes on. */
        UNKNOWN
    }

    /**
     * @throws StateNamespaceMissing when it does not exist and may not be created
     * @throws ClusterException      when the API server cannot be reached
     */
    public Outcome ensure() {
        try {
            if (client.namespaces().withName(name).get() != null) {
                return Outcome.EXISTS;
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return usableWithoutReadingIt();
            }
            throw new ClusterException("cannot read namespace " + name + ": " + e.getMessage(), e.getCode(), e);
        }
        try {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .addToLabels(MetadataKeys.PART_OF, MetadataKeys.LOCKSTEP)
                            .endMetadata()
                            .build())
                    .create();
            return Outcome.CREATED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Outcome.EXISTS; // another replica made it meanwhile
            }
            if (e.getCode() == 403) {
                throw new StateNamespaceMissing("state namespace " + name + " does not exist and Lockstep may not"
                        + " create it: create it (kubectl create namespace " + name + ") or set stateNamespace");
            }
            throw new ClusterException("cannot create namespace " + name + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    /**
     * A daemon confined to Roles in the state namespace may not read the namespace itself. Listing its ConfigMaps (which
     * it needs anyway) tells whether it can work there: a missing namespace has no Role to allow it.
     */
    private Outcome usableWithoutReadingIt() {
        try {
            client.configMaps()
                    .inNamespace(name)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            return Outcome.UNKNOWN;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new StateNamespaceMissing("cannot use state namespace " + name + ": Lockstep may neither read it"
                        + " nor list ConfigMaps in it (it does not exist, or the daemon's Role there is missing):"
                        + " create it (kubectl create namespace " + name + ") and apply the daemon's RBAC there");
            }
            throw new ClusterException(
                    "cannot list ConfigMaps in namespace " + name + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    /** The state namespace is missing and the daemon may not create it: a configuration problem, not a retry. */
    public static final class StateNamespaceMissing extends RuntimeException {
        StateNamespaceMissing(String message) {
            super(message);
        }
    }
}
