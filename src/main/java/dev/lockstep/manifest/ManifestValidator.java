package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an app's {@link NamespacePolicy} to parsed manifests: defaults the namespace of namespaced objects,
 * refuses namespaces and cluster-scoped kinds the config doesn't allow, and refuses the same object defined
 * twice. Returns every error; {@link ParseResult#ok()} is the gate — when it is false callers must use none of
 * the manifests.
 */
public final class ManifestValidator {

    public ParseResult validate(List<Manifest> manifests, NamespacePolicy policy, KindScopes scopes) {
        List<Manifest> out = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        Map<ResourceKey, Manifest> seen = new HashMap<>();
        for (Manifest manifest : manifests) {
            int before = errors.size();
            ResourceKey key = manifest.key();
            Manifest checked = scopes.clusterScoped(key.group(), key.kind())
                    ? checkClusterScoped(manifest, policy, errors)
                    : checkNamespaced(manifest, policy, errors);
            checkProgressDeadline(checked, errors);
            if (errors.size() > before) {
                continue;
            }
            Manifest first = seen.putIfAbsent(checked.key(), checked);
            if (first != null) {
                errors.add(error(
                        checked,
                        checked.key() + " is defined twice: at " + first.location() + " and at " + checked.location()));
                continue;
            }
            out.add(checked);
        }
        return new ParseResult(out, errors);
    }

    private static Manifest checkClusterScoped(Manifest m, NamespacePolicy policy, List<ManifestError> errors) {
        ResourceKey key = m.key();
        if (!key.namespace().isEmpty()) {
            errors.add(error(
                    m,
                    key.kind() + " " + key.name() + " is cluster-scoped but sets metadata.namespace '" + key.namespace()
                            + "'; remove it"));
        }
        if (!policy.allowsClusterKind(key.group(), key.kind())) {
            errors.add(error(
                    m,
                    "cluster-scoped kind " + key.kind() + " (" + key.kind() + "/" + key.name()
                            + ") is not allowed for this app; add '" + key.kind()
                            + "' to allowedClusterKinds to manage it"));
        }
        return m;
    }

    private static Manifest checkNamespaced(Manifest m, NamespacePolicy policy, List<ManifestError> errors) {
        ResourceKey key = m.key();
        if (key.namespace().isEmpty()) {
            return withNamespace(m, policy.targetNamespace());
        }
        if (!policy.allowsNamespace(key.namespace())) {
            errors.add(error(
                    m,
                    key + ": namespace '" + key.namespace() + "' is not allowed for this app (target is '"
                            + policy.targetNamespace() + "'); add it to allowedNamespaces to deploy there"));
        }
        return m;
    }

    /** A copy with metadata.namespace set; the original body is shared read-only, so copy the two maps we touch. */
    private static Manifest withNamespace(Manifest m, String namespace) {
        Map<String, Object> body = new LinkedHashMap<>(m.body());
        @SuppressWarnings("unchecked") // the parser only produces manifests whose metadata is a string-keyed map
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) body.get("metadata"));
        metadata.put("namespace", namespace);
        body.put("metadata", metadata);
        ResourceKey key = m.key();
        return new Manifest(
                new ResourceKey(key.group(), key.kind(), namespace, key.name()),
                m.apiVersion(),
                body,
                m.file(),
                m.line());
    }

    /** Lockstep reads this annotation itself (no server checks it), so a typo must fail here, not fall back silently. */
    private static void checkProgressDeadline(Manifest m, List<ManifestError> errors) {
        Object metadata = m.body().get("metadata");
        if (!(metadata instanceof Map<?, ?> meta) || !(meta.get("annotations") instanceof Map<?, ?> annotations)) {
            return;
        }
        Object value = annotations.get(MetadataKeys.PROGRESS_DEADLINE);
        if (value != null && !String.valueOf(value).matches("[1-9][0-9]{0,8}")) {
            errors.add(error(
                    m,
                    m.key() + ": metadata.annotations." + MetadataKeys.PROGRESS_DEADLINE + ": \"" + value
                            + "\" is not a whole number of seconds (e.g. \"600\")"));
        }
    }

    private static ManifestError error(Manifest m, String message) {
        return new ManifestError(m.file(), m.line(), message);
    }
}
