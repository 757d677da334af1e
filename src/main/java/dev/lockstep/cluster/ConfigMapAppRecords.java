package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.FollowedRollout;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.PruneHold;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.model.WriteBack;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * Keeps each app's {@link AppRecord} in a ConfigMap {@code lockstep-app-<name>} in the state namespace, so a
 * restarted or replaced daemon knows what it applied without local files. Deliberately not labelled
 * managed-by=lockstep: it is Lockstep's bookkeeping, never a candidate for prune or drift.
 */
public final class ConfigMapAppRecords implements AppRecords {
    /** Write-back decisions kept: the oldest are about commits long superseded. */
    private static final int MAX_WRITE_BACKS = 200;
    /**
     * Bytes of the packed history at most: with the inventory, fingerprints and followed rollouts of 5,000 objects the
     * ConfigMap stays under the API server's 1 MiB (one entry packs to about 40-80 bytes).
     */
    static final int HISTORY_BUDGET = 384 * 1024;

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesSerialization json;

    public ConfigMapAppRecords(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.json = client.getKubernetesSerialization();
    }

    public String namespace() {
        return namespace;
    }

    public static String configMapName(String app) {
        return "lockstep-app-" + app;
    }

    @Override
    public Optional<AppRecord> load(String app) {
        ConfigMap cm;
        try {
            cm = client.configMaps()
                    .inNamespace(namespace)
                    .withName(configMapName(app))
                    .get();
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot read the record of app " + app + " (ConfigMap " + namespace + "/" + configMapName(app)
                            + "): " + e.getMessage(),
                    e.getCode(),
                    e);
        }
        if (cm == null || cm.getData() == null) {
            return Optional.empty();
        }
        return Optional.of(
                decode(cm.getData(), cm.getBinaryData() == null ? Map.of() : cm.getBinaryData(), json::unmarshal));
    }

    /** Reads JSON text into the stored shapes below; fabric8's serialization here, plain Jackson in RawAppRecords. */
    interface RecordJson {
        <T> T read(String text, TypeReference<T> type);
    }

    /** A record from its ConfigMap's data and binaryData: shared with {@link RawAppRecords}, which reads them raw. */
    static AppRecord decode(Map<String, String> data, Map<String, String> binary, RecordJson json) {
        String inventory = binary.containsKey("inventory")
                ? RecordPacking.unpack(binary.get("inventory"))
                : data.getOrDefault("inventory", "[]");
        List<StoredKey> keys = json.read(inventory, new TypeReference<List<StoredKey>>() {});
        Map<ResourceKey, String> fingerprints = binary.containsKey("fingerprints")
                ? RecordPacking.parseFingerprints(RecordPacking.unpack(binary.get("fingerprints")))
                : Map.of();
        String historyJson = binary.containsKey("history")
                ? RecordPacking.unpack(binary.get("history"))
                : data.getOrDefault("history", "[]");
        List<StoredHistory> history = json.read(historyJson, new TypeReference<List<StoredHistory>>() {});
        List<StoredWriteBack> writeBacks =
                json.read(data.getOrDefault("writeBacks", "[]"), new TypeReference<List<StoredWriteBack>>() {});
        List<StoredKey> held = json.read(data.getOrDefault("pruneHeld", "[]"), new TypeReference<List<StoredKey>>() {});
        String followingJson = binary.containsKey("following")
                ? RecordPacking.unpack(binary.get("following"))
                : data.getOrDefault("following", "[]");
        List<StoredFollowing> following = json.read(followingJson, new TypeReference<List<StoredFollowing>>() {});
        return new AppRecord(
                data.getOrDefault("commit", ""),
                keys.stream().map(StoredKey::toEntry).toList(),
                history.stream()
                        .map(h ->
                                h.toEntry(keys.stream().map(StoredKey::toEntry).toList()))
                        .toList(),
                writeBacks.stream().map(StoredWriteBack::toWriteBack).toList(),
                new PruneHold(
                        data.getOrDefault("pruneHeldAt", ""),
                        held.stream().map(StoredKey::toEntry).toList()),
                fingerprints,
                following.stream().map(StoredFollowing::toFollowed).toList(),
                json.read(data.getOrDefault("notified", "[]"), new TypeReference<List<String>>() {}));
    }

    @Override
    public Optional<String> pruneConfirmation(String app) {
        try {
            ConfigMap cm = client.configMaps()
                    .inNamespace(namespace)
                    .withName(configMapName(app))
                    .get();
            return Optional.ofNullable(cm)
                    .map(ConfigMap::getMetadata)
                    .map(m -> m.getAnnotations())
                    .map(a -> a.get(MetadataKeys.CONFIRM_PRUNE));
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot read the record of app " + app + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    @Override
    public void confirmPrune(String app, String token) {
        try {
            client.configMaps()
                    .inNamespace(namespace)
                    .withName(configMapName(app))
                    .edit(cm -> {
                        return new ConfigMapBuilder(cm)
                                .editMetadata()
                                .addToAnnotations(MetadataKeys.CONFIRM_PRUNE, token)
                                .endMetadata()
                                .build();
                    });
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot annotate the record of app " + app + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    @Override
    public void save(String app, AppRecord record) {
        Map<String, String> data = new LinkedHashMap<>();
        Map<String, String> binary = new LinkedHashMap<>();
        data.put("commit", record.commit());
        String inventory =
                json.asJson(record.inventory().stream().map(StoredKey::of).toList());
        if (inventory.length() > RecordPacking.PLAIN_LIMIT) {
            binary.put("inventory", RecordPacking.pack(inventory)); // thousands of objects: 1 MiB is the limit
        } else {
            data.put("inventory", inventory);
        }
        if (!record.fingerprints().isEmpty()) {
            binary.put("fingerprints", RecordPacking.pack(RecordPacking.fingerprintLines(record.fingerprints())));
        }
        StoredText storedHistory = RecordHistory.kept(
                record.history(), this::storedHistory, h -> h.text().length(), HISTORY_BUDGET);
        // thousands of workloads, one entry each at least: packed
        (storedHistory.packed() ? binary : data).put("history", storedHistory.text());
        List<WriteBack> writeBacks = record.writeBacks();
        if (writeBacks.size() > MAX_WRITE_BACKS) {
            writeBacks = writeBacks.subList(writeBacks.size() - MAX_WRITE_BACKS, writeBacks.size());
        }
        data.put(
                "writeBacks",
                json.asJson(writeBacks.stream().map(StoredWriteBack::of).toList()));
        data.put(
                "pruneHeld",
                json.asJson(
                        record.pruneHold().objects().stream().map(StoredKey::of).toList()));
        data.put("pruneHeldAt", record.pruneHold().commit());
        if (!record.following().isEmpty()) { // absent when none: records written before it existed stay the same
            String following = json.asJson(
                    record.following().stream().map(StoredFollowing::of).toList());
            if (following.length() > RecordPacking.PLAIN_LIMIT) {
                // the first apply of thousands of Deployments follows them all: about 250 bytes each in JSON
                binary.put("following", RecordPacking.pack(following));
            } else {
                data.put("following", following);
            }
        }
        if (!record.notified().isEmpty()) { // "<commit>:<event>" per notification sent, at most AppRecord.MAX_NOTIFIED
            data.put("notified", json.asJson(record.notified()));
        }
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMapName(app))
                .withNamespace(namespace)
                .addToLabels(MetadataKeys.PART_OF, MetadataKeys.LOCKSTEP)
                .addToLabels(MetadataKeys.APP, app)
                .endMetadata()
                .withData(data)
                .withBinaryData(binary.isEmpty() ? null : binary)
                .build();
        try {
            client.configMaps()
                    .inNamespace(namespace)
                    .resource(cm)
                    .fieldManager(MetadataKeys.FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot save the record of app " + app + ": " + e.getMessage(), e.getCode(), e);
        }
    }

    /** The history as saved: JSON, or packed for binaryData once the JSON is over {@link RecordPacking#PLAIN_LIMIT}. */
    private StoredText storedHistory(List<HistoryEntry> history) {
        String plain = json.asJson(history.stream().map(StoredHistory::of).toList());
        return plain.length() > RecordPacking.PLAIN_LIMIT
                ? new StoredText(RecordPacking.pack(plain), true)
                : new StoredText(plain, false);
    }

    /** A part of the record as saved: in data as it is, or (packed) in binaryData. */
    private record StoredText(String text, boolean packed) {}

    /** JSON shape of an inventory entry. */
    public record StoredKey(String apiVersion, String kind, String namespace, String name) {
        static StoredKey of(InventoryEntry e) {
            return new StoredKey(
                    e.apiVersion(), e.key().kind(), e.key().namespace(), e.key().name());
        }

        InventoryEntry toEntry() {
            return new InventoryEntry(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion);
        }
    }

    /**
     * JSON shape of a history entry (Instant as text, so the ConfigMap reads well with kubectl). {@code deployment} is
     * the workload's "namespace/name" (the field's name is kept so records of older versions read); {@code kind} is
     * absent in those records and then resolved by {@link HistoryEntry#kindOfUnkinded}.
     */
    public record StoredHistory(
            String kind,
            String deployment,
            long revision,
            String replicaSet,
            String commit,
            String subject,
            String author,
            String appliedAt,
            String result) {
        static StoredHistory of(HistoryEntry h) {
            return new StoredHistory(
                    h.kind(),
                    h.workload(),
                    h.revision(),
                    h.replicaSet(),
                    h.commit(),
                    h.subject(),
                    h.author(),
                    h.appliedAt().toString(),
                    h.result());
        }

        HistoryEntry toEntry(List<InventoryEntry> inventory) {
            String resolved =
                    kind == null || kind.isEmpty() ? HistoryEntry.kindOfUnkinded(deployment, inventory) : kind;
            return new HistoryEntry(
                    resolved,
                    deployment,
                    revision,
                    replicaSet,
                    commit,
                    subject,
                    author,
                    Instant.parse(appliedAt),
                    result);
        }
    }

    /** JSON shape of a followed rollout (empty texts for absent values). */
    public record StoredFollowing(
            String group,
            String kind,
            String namespace,
            String name,
            String commit,
            String subject,
            String message,
            String author,
            String authorEmail,
            String commitTime,
            String reusesReplicaSet,
            long reusesRevision,
            String reusesCommit,
            String appliedAt,
            String reverts,
            String staleDeadline) {
        static StoredFollowing of(FollowedRollout f) {
            ResourceKey k = f.workload();
            Revision c = f.commit();
            Optional<TemplateChange.ReusedReplicaSet> reuses = f.change().reuses();
            return new StoredFollowing(
                    k.group(),
                    k.kind(),
                    k.namespace(),
                    k.name(),
                    c.commit(),
                    c.subject(),
                    c.message(),
                    c.author(),
                    c.authorEmail(),
                    c.time() == null ? "" : c.time().toString(),
                    reuses.map(TemplateChange.ReusedReplicaSet::name).orElse(""),
                    reuses.map(TemplateChange.ReusedReplicaSet::revision).orElse(0L),
                    reuses.map(TemplateChange.ReusedReplicaSet::originalCommit).orElse(""),
                    f.appliedAt().toString(),
                    f.reverts().orElse(""),
                    f.staleDeadline().orElse(""));
        }

        FollowedRollout toFollowed() {
            Optional<TemplateChange.ReusedReplicaSet> reuses = reusesReplicaSet.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new TemplateChange.ReusedReplicaSet(reusesReplicaSet, reusesRevision, reusesCommit));
            return new FollowedRollout(
                    new ResourceKey(group, kind, namespace, name),
                    new Revision(
                            commit,
                            subject,
                            message,
                            author,
                            authorEmail,
                            commitTime.isEmpty() ? null : Instant.parse(commitTime)),
                    new TemplateChange(reuses),
                    Instant.parse(appliedAt),
                    Optional.of(reverts).filter(r -> !r.isEmpty()),
                    Optional.of(staleDeadline).filter(d -> !d.isEmpty()));
        }
    }

    /** JSON shape of a write-back decision. */
    public record StoredWriteBack(String action, String target, String pushed, String outcome, String at) {
        static StoredWriteBack of(WriteBack w) {
            return new StoredWriteBack(w.action(), w.target(), w.pushed(), w.outcome(), w.at().toString());
        }

        WriteBack toWriteBack() {
            return new WriteBack(action, target, pushed, outcome, Instant.parse(at));
        }
    }
}
