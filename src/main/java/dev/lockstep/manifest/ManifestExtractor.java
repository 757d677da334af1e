package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns YAML documents into Manifests: expands {@code kind: List}, checks the fields every Kubernetes object
 * needs, and reports problems at the line of the offending node. Messages name fields, never their values
 * beyond identifiers, since the document may be a Secret.
 */
final class ManifestExtractor {

    // RFC 1123 subdomain (object names) and label (namespaces); "valid-ish": no per-kind rules
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern API_VERSION = Pattern.compile("([A-Za-z0-9.-]+/)?[A-Za-z0-9]+");
    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** Adds the document's manifests to {@code out} and its problems to {@code errors}. */
    void extract(YamlDocuments.Document doc, List<Manifest> out, List<ManifestError> errors) {
        String file = doc.file();
        if (!(doc.value() instanceof Map<?, ?> map) || !(doc.node() instanceof MappingNode node)) {
            errors.add(new ManifestError(file, doc.line(), "document is not a mapping (expected a Kubernetes object)"));
            return;
        }
        if ("List".equals(map.get("kind")) && map.containsKey("items")) {
            expandList(file, node, map, out, errors);
            return;
        }
        toManifest(file, node, map, errors).ifPresent(out::add);
    }

    private void expandList(
            String file, MappingNode node, Map<?, ?> map, List<Manifest> out, List<ManifestError> errors) {
        Node itemsNode = child(node, "items").orElse(node);
        if (!(map.get("items") instanceof List<?> items) || !(itemsNode instanceof SequenceNode sequence)) {
            errors.add(new ManifestError(file, line(itemsNode), "List 'items' must be a sequence of objects"));
            return;
        }
        List<Node> itemNodes = sequence.getValue();
        for (int i = 0; i < items.size() && i < itemNodes.size(); i++) {
            Node itemNode = itemNodes.get(i);
            if (!(items.get(i) instanceof Map<?, ?> item) || !(itemNode instanceof MappingNode itemMapping)) {
                errors.add(new ManifestError(
                        file, line(itemNode), "List item is not a mapping (expected a Kubernetes object)"));
            } else if ("List".equals(item.get("kind"))) {
                errors.add(new ManifestError(file, line(itemNode), "a List inside a List is not supported"));
            } else {
                toManifest(file, itemMapping, item, errors).ifPresent(out::add);
            }
        }
    }

    private Optional<Manifest> toManifest(String file, MappingNode node, Map<?, ?> map, List<ManifestError> errors) {
        int line = line(node);
        int before = errors.size();
        String apiVersion = requireString(file, node, map, "apiVersion", errors);
        String kind = requireString(file, node, map, "kind", errors);
        if (apiVersion != null && !API_VERSION.matcher(apiVersion).matches()) {
            errors.add(at(file, node, "apiVersion", "apiVersion is not of the form 'version' or 'group/version'"));
        }
        if (kind != null && !KIND.matcher(kind).matches()) {
            errors.add(at(file, node, "kind", "kind must be alphanumeric, starting with a letter"));
        }

        String name = null;
        String namespace = "";
        Object metadata = map.get("metadata");
        Optional<Node> metadataNode = child(node, "metadata");
        if (!(metadata instanceof Map<?, ?> meta) || !(metadataNode.orElse(null) instanceof MappingNode metaNode)) {
            errors.add(new ManifestError(
                    file,
                    metadataNode.map(ManifestExtractor::line).orElse(line),
                    metadata == null ? "missing metadata.name" : "metadata must be a mapping"));
        } else {
            name = requireString(file, metaNode, meta, "name", errors);
            if (name != null && (name.length() > 253 || !NAME.matcher(name).matches())) {
                errors.add(
                        at(
                                file,
                                metaNode,
                                "name",
                                "metadata.name '" + name + "' is not a valid name "
                                        + "(lowercase letters, digits, '-' and '.', starting and ending alphanumeric, at most 253)"));
            }
            if (meta.containsKey("namespace")) {
                if (!(meta.get("namespace") instanceof String ns)) {
                    errors.add(at(file, metaNode, "namespace", "metadata.namespace must be a string"));
                } else if (ns.length() > 63 || !NAMESPACE.matcher(ns).matches()) {
                    errors.add(
                            at(
                                    file,
                                    metaNode,
                                    "namespace",
                                    "metadata.namespace '" + ns + "' is not a valid namespace "
                                            + "(lowercase letters, digits and '-', starting and ending alphanumeric, at most 63)"));
                } else {
                    namespace = ns;
                }
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked") // NodeChecks rejected every non-string key before construction
        Map<String, Object> body = (Map<String, Object>) map;
        return Optional.of(
                new Manifest(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion, body, file, line));
    }

    /** The non-empty string at {@code field}, or null after recording why not. */
    private static String requireString(
            String file, MappingNode node, Map<?, ?> map, String field, List<ManifestError> errors) {
        String path = "name".equals(field) ? "metadata.name" : field;
        Object value = map.get(field);
        if (value == null) {
            errors.add(at(file, node, field, "missing " + path));
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            errors.add(at(file, node, field, path + " must be a non-empty string"));
            return null;
        }
        return s;
    }

    /** An error at the line of {@code field}'s value, or of the mapping when the field is absent. */
    private static ManifestError at(String file, MappingNode node, String field, String message) {
        return new ManifestError(file, line(child(node, field).orElse(node)), message);
    }

    private static Optional<Node> child(MappingNode node, String key) {
        for (NodeTuple tuple : node.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
                return Optional.of(tuple.getValueNode());
            }
        }
        return Optional.empty();
    }

    private static int line(Node node) {
        return YamlDocuments.line(node.getStartMark());
    }
}
