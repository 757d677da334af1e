package dev.lockstep.secrets;

import java.util.Locale;

/** The file formats sops writes; like sops, the file's extension decides. */
public enum SopsFormat {
    YAML,
    JSON,
    /** sops' dotenv form: {@code KEY=ENC[...]} lines, metadata flattened into {@code sops_...} keys. */
    DOTENV,
    /** Any other file: {@code {"data": "ENC[...]", "sops": {...}}}, the plaintext being the file's bytes. */
    BINARY;

    public static SopsFormat forPath(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".env")) {
            return DOTENV;
        }
        return BINARY;
    }
}
