package dev.lockstep.manifest;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks on a composed document that SnakeYAML's own limits don't cover:
 * <ul>
 * <li>expanded size: aliases make the node graph a DAG, cheap to hold but exponential to serialise when the
 * object is sent to the API server; the size is computed once per shared node, so the check itself is linear;</li>
 * <li>recursive aliases ({@code &a [*a]}), which SafeConstructor happily builds into a cyclic structure;</li>
 * <li>non-string mapping keys (YAML 1.1 reads {@code on:} as {@code true}), which Kubernetes objects can't have
 * and which would break {@code Map<String, Object>} bodies;</li>
 * <li>{@code .inf} and {@code .nan}, which JSON can't carry: kubectl refuses the file, so this refuses it too.</li>
 * </ul>
 */
final class NodeChecks {

    private final long maxExpandedSize;

    NodeChecks(long maxExpandedSize) {
        this.maxExpandedSize = maxExpandedSize;
    }

    Optional<ManifestError> check(String file, Node root) {
        try {
            new Walk(file).size(root);
            return Optional.empty();
        } catch (Problem p) {
            return Optional.of(p.error);
        }
    }

    private final class Walk {
        private final String file;
        private final Map<Node, Long> sizes = new IdentityHashMap<>();
        private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

        Walk(String file) {
            this.file = file;
        }

        long size(Node node) throws Problem {
            Long known = sizes.get(node);
            if (known != null) {
                return known;
            }
            if (inProgress.put(node, Boolean.TRUE) != null) {
                throw problem(
                        node,
                        "the structure anchored here contains an alias to itself (recursive structures are not allowed)");
            }
            long size = 1;
            if (node instanceof ScalarNode scalar) {
                checkFinite(scalar);
                size += scalar.getValue().length();
            } else if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    size += size(item);
                }
            } else if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    checkKey(tuple.getKeyNode());
                    size += size(tuple.getKeyNode()) + size(tuple.getValueNode());
                }
            }
            if (size > maxExpandedSize) {
                throw problem(node, "document too large once aliases are expanded (limit " + maxExpandedSize + ")");
            }
            inProgress.remove(node);
            sizes.put(node, size);
            return size;
        }

        private void checkFinite(ScalarNode scalar) throws Problem {
            if (!Tag.FLOAT.equals(scalar.getTag())) {
                return;
            }
            String value = scalar.getValue();
            String unsigned = value.startsWith("+") || value.startsWith("-") ? value.substring(1) : value;
            if (unsigned.equalsIgnoreCase(".inf") || unsigned.equalsIgnoreCase(".nan")) {
                throw problem(
                        scalar,
                        "'" + value
                                + "' is not a number JSON can carry (kubectl refuses it too); quote it for a string");
            }
        }

        private void checkKey(Node key) throws Problem {
            Tag tag = key.getTag();
            if (key instanceof ScalarNode && (Tag.STR.equals(tag) || Tag.MERGE.equals(tag))) {
                return;
            }
            String what = key instanceof ScalarNode ? tag.getValue().replace(Tag.PREFIX, "") : "a " + key.getNodeId();
            throw problem(key, "mapping key is not a string (" + what + "); quote it");
        }

        private Problem problem(Node node, String message) {
            return new Problem(new ManifestError(file, YamlDocuments.line(node.getStartMark()), message));
        }
    }

    private static final class Problem extends Exception {
        final transient ManifestError error;

        Problem(ManifestError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }
}
