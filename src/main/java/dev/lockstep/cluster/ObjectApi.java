package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.ServiceAccountRef;
import java.util.Map;

/**
 * The API server as the reconcile pass writes to it: a server-side apply, its dry run, and a delete. Objects travel as
 * plain maps so any kind works. Failures are {@link ClusterException}s; one the server forbids has status 403 and a
 * message naming the account, the verb and the object.
 */
public interface ObjectApi {
    /** What the object would look like after the apply, defaulted and validated by the server; writes nothing. */
    Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body);

    /** Server-side apply with Lockstep's field manager; returns the object as the server stored it. */
    Map<String, Object> apply(ResourceKey key, Map<String, Object> body);

    /**
     * As {@link #apply}, for an object the plan found absent: it fails with status 409 when the object exists by now
     * (another app, another replica or a person created it since), instead of taking it over. The fields it sets are
     * Lockstep's as an apply's are, so a later apply may remove them.
     */
    Map<String, Object> create(ResourceKey key, Map<String, Object> body);

    /** Deletes with background propagation; true when something was deleted, false when it was already gone. */
    boolean delete(ResourceKey key, String apiVersion);

    /**
     * The same API with every request made as {@code account} (Kubernetes impersonation), so the account's RBAC, not
     * Lockstep's, decides what may be written. The same account gives the same instance.
     */
    ObjectApi as(ServiceAccountRef account);

    /** The field manager of every apply: the server tells Lockstep's fields from everyone else's by it. */
    default String fieldManager() {
        return MetadataKeys.FIELD_MANAGER;
    }

    /**
     * Replaces the object's {@code metadata.managedFields} (a JSON patch), only if it is still at
     * {@code resourceVersion}: how Lockstep takes over fields another manager holds. Writes no other field.
     */
    default void replaceManagedFields(
            ResourceKey key, String apiVersion, String resourceVersion, java.util.List<Map<String, Object>> fields) {
        throw new UnsupportedOperationException("this ObjectApi cannot take over fields");
    }

    /** The object as the server would store {@code body} sent whole (a dry-run update): defaults filled in. */
    default Map<String, Object> dryRunReplace(ResourceKey key, String apiVersion, Map<String, Object> body) {
        throw new UnsupportedOperationException("this ObjectApi cannot dry-run an update");
    }
}
