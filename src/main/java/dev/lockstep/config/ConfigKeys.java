package dev.lockstep.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key the configuration file accepts, per mapping, in the order the loader reads them. {@link FieldReader}
 * refuses any other key (naming these as the allowed ones) and fails fast when the loader reads a key that is not
 * listed here, so this is the one list of the format: the configuration reference (docs/configuration.md) is checked
 * against it.
 */
public final class ConfigKeys {
    /** Mapping path, with list items written {@code []} ({@code ""} is the top level) → its keys. */
    public static final Map<String, List<String>> SECTIONS = sections();

    private ConfigKeys() {}

    private static Map<String, List<String>> sections() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put(
                "",
                List.of("stateNamespace", "cacheDir", "applyConcurrency", "sharding", "http", "apps", "notifications"));
        s.put("http", List.of("port", "webhookSecretFile", "uiTokenFile", "externalUrl"));
        s.put(
                "apps[]",
                List.of(
                        "name",
                        "repo",
                        "path",
                        "namespace",
                        "interval",
                        "prune",
                        "selfHeal",
                        "allowedNamespaces",
                        "allowedClusterKinds",
                        "maxPruneShare",
                        "allowMassPrune",
                        "writeBack",
                        "onFailedRollout",
                        "onManualRollback",
                        "serviceAccountName",
                        "serviceAccountNamespace",
                        "verify",
                        "allowHistoryRewrite",
                        "adoptFieldManagers",
                        "render",
                        "allowRemoteBases",
                        "decrypt"));
        s.put(
                "apps[].repo",
                List.of(
                        "url",
                        "branch",
                        "username",
                        "tokenFile",
                        "tokenEnv",
                        "passwordFile",
                        "passwordEnv",
                        "sshKeyFile",
                        "knownHostsFile",
                        "caFile",
                        "insecureHttp"));
        s.put("apps[].render", List.of("engine", "kustomize", "helm"));
        s.put("apps[].render.kustomize", List.of("command", "timeout"));
        s.put("apps[].render.helm", List.of("releaseName", "valuesFiles", "values", "skipCRDs", "timeout"));
        s.put("apps[].decrypt", List.of("sops"));
        s.put("apps[].decrypt.sops", List.of("ageKeyFile", "openpgpKeyFile"));
        s.put("apps[].writeBack", List.of("author", "signingKeyFile"));
        s.put("apps[].verify", List.of("mode", "allowedSignersFile", "openpgpKeysFile", "since"));
        s.put(
                "notifications[]",
                List.of(
                        "name",
                        "type",
                        "urlFile",
                        "secretFile",
                        "tokenFile",
                        "baseUrl",
                        "repository",
                        "events",
                        "apps"));
        return Collections.unmodifiableMap(s);
    }

    /** The keys of the mapping at {@code fieldPath} as FieldReader names it ({@code apps[2].repo} → {@code apps[].repo}). */
    static List<String> of(String fieldPath) {
        List<String> keys = SECTIONS.get(fieldPath.replaceAll("\\[\\d+]", "[]"));
        if (keys == null) {
            throw new IllegalStateException("configuration mapping '" + fieldPath + "' is not listed in ConfigKeys");
        }
        return keys;
    }
}
