package dev.lockstep.model;

import java.util.Arrays;

/**
 * What a render engine printed for one unit of an app: multi-document YAML, not yet parsed.
 *
 * @param root     the repository-relative directory it was rendered from (a kustomization's, a chart's); origins that
 *                 the engine reports are relative to it
 * @param producer the engine and its version, e.g. {@code kustomize v5.5.0}
 */
public record RenderedOutput(String root, String producer, byte[] yaml) {
    /** How errors name this output: {@code deploy/overlays/prod (kustomize v5.5.0)}. */
    public String label() {
        return (root.isEmpty() ? "." : root) + " (" + producer + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedOutput r
                && r.root.equals(root)
                && r.producer.equals(producer)
                && Arrays.equals(r.yaml, yaml);
    }

    @Override
    public int hashCode() {
        return (root.hashCode() * 31 + producer.hashCode()) * 31 + Arrays.hashCode(yaml);
    }

    @Override
    public String toString() {
        return "RenderedOutput[" + label() + ", " + yaml.length + " bytes]";
    }
}
