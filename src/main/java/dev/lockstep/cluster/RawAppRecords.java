package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.util.Tree;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reading half of {@link ConfigMapAppRecords} as raw JSON through {@link RawKubeReads}: the same ConfigMap, decoded
 * by the same code ({@link ConfigMapAppRecords#decode}) with a plain Jackson mapper on fabric8's Jackson 2 defaults, as
 * fabric8's own serialization has them. It never writes: saving and confirming a prune keep the full client.
 */
public final class RawAppRecords implements AppRecords {
    private final RawKubeReads api;
    private final String namespace;
    private final JsonMapper json = JsonMapper.builderWithJackson2Defaults().build();

    public RawAppRecords(RawKubeReads api, String namespace) {
        this.api = api;
        this.namespace = namespace;
    }

    @Override
    public Optional<AppRecord> load(String app) {
        Optional<Map<String, Object>> cm = configMap(app);
        if (cm.isEmpty() || !(cm.get().get("data") instanceof Map)) {
            return Optional.empty();
        }
        return Optional.of(ConfigMapAppRecords.decode(
                strings(Tree.map(cm.get(), "data")), strings(Tree.map(cm.get(), "binaryData")), json::readValue));
    }

    @Override
    public Optional<String> pruneConfirmation(String app) {
        return configMap(app).flatMap(cm -> Tree.string(cm, "metadata", "annotations", MetadataKeys.CONFIRM_PRUNE));
    }

    @Override
    public void save(String app, AppRecord record) {
        throw new UnsupportedOperationException("read-only: saving a record needs the full client");
    }

    @Override
    public void confirmPrune(String app, String token) {
        throw new UnsupportedOperationException("read-only: confirming a prune needs the full client");
    }

    private Optional<Map<String, Object>> configMap(String app) {
        String name = ConfigMapAppRecords.configMapName(app);
        try {
            return api.get(RawKubeReads.collection("v1", namespace, "configmaps") + "/" + RawKubeReads.segment(name));
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "cannot read the record of app " + app + " (ConfigMap " + namespace + "/" + name + "): "
                            + e.getMessage(),
                    e.getCode(),
                    e);
        }
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
