package dev.lockstep.manifest;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Types plain scalars as kubectl does. kubectl reads YAML with go-yaml v2 into untyped maps, which follows YAML 1.1
 * for booleans ({@code yes}, {@code on}) and octal ({@code 0755}) like SnakeYAML, but keeps two YAML 1.1 types as
 * strings: timestamps ({@code 2024-01-01} stays that text, where SnakeYAML makes a {@code Date}) and base-60 numbers
 * ({@code 12:30} stays that text, where SnakeYAML makes the integer 750).
 */
final class KubectlResolver extends Resolver {

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        Tag tag = super.resolve(kind, value, implicit);
        if (!implicit || kind != NodeId.scalar) {
            return tag;
        }
        if (Tag.TIMESTAMP.equals(tag)) {
            return Tag.STR;
        }
        if ((Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) && value.indexOf(':') >= 0) {
            return Tag.STR;
        }
        return tag;
    }
}
