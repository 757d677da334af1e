package dev.lockstep.model;

import java.util.Map;

/**
 * One desired Kubernetes object as parsed from git: its key, apiVersion, the whole document (plain maps,
 * lists and scalars as SnakeYAML gives them) and where it came from. Treat {@code body} as read-only;
 * steps that need to change it copy it first.
 */
public record Manifest(ResourceKey key, String apiVersion, Map<String, Object> body, String file, int line) {
    /** {@code path/to/file.yaml:12}, or just the file for a rendered object (line 0: no line in git to point at). */
    public String location() {
        return line > 0 ? file + ":" + line : file;
    }

    /** With Secret values hidden: a manifest that reaches a log line or an exception message carries no value. */
    @Override
    public String toString() {
        return "Manifest[key=" + key + ", apiVersion=" + apiVersion + ", body=" + SecretMask.masked(body) + ", file="
                + file + ", line=" + line + "]";
    }
}
