package dev.lockstep.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file read as sops reads it: its documents (one, or several for multi-document YAML) without the {@code sops}
 * block, and that block.
 */
record SopsDocument(SopsFormat format, List<Map<String, Object>> documents, Map<?, ?> metadata) {
    static final String METADATA_KEY = "sops";

    /**
     * The file as a SOPS document, or empty when it is not one (no {@code sops} block with a {@code lastmodified} or
     * {@code mac}). A file that does not parse is not one either: the manifest reader reports it.
     */
    static Optional<SopsDocument> read(String path, byte[] content) {
        if (!mentionsSops(content)) {
            return Optional.empty();
        }
        try {
            return parse(SopsFormat.forPath(path), new String(content, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notParsed) {
            return Optional.empty();
        }
    }

    /** Whether any document of a multi-document YAML stream carries a {@code sops} block. */
    static boolean anyYamlDocumentEncrypted(byte[] content) {
        if (!mentionsSops(content)) {
            return false;
        }
        try {
            return SopsYaml.loadAll(new String(content, StandardCharsets.UTF_8)).stream()
                    .anyMatch(d -> d instanceof Map<?, ?> m
                            && m.get(METADATA_KEY) instanceof Map<?, ?> metadata
                            && isMetadata(metadata));
        } catch (IllegalArgumentException notParsed) {
            return false;
        }
    }

    /** A cheap first look: every SOPS file spells out its lastmodified or mac field. */
    private static boolean mentionsSops(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return text.contains("lastmodified") || text.contains("sops_mac");
    }

    @SuppressWarnings("unchecked")
    private static Optional<SopsDocument> parse(SopsFormat format, String text) {
        if (format == SopsFormat.DOTENV) {
            Map<String, Object> entries = DotenvText.parse(text);
            Map<String, Object> metadata = DotenvText.metadata(entries);
            return isMetadata(metadata)
                    ? Optional.of(new SopsDocument(format, List.of(entries), metadata))
                    : Optional.empty();
        }
        List<Object> loaded = SopsYaml.loadAll(text);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : loaded) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            documents.add(new LinkedHashMap<>((Map<String, Object>) map));
        }
        if (documents.isEmpty() || !(documents.get(0).get(METADATA_KEY) instanceof Map<?, ?> metadata)) {
            return Optional.empty();
        }
        if (!isMetadata(metadata) || (format != SopsFormat.YAML && documents.size() > 1)) {
            return Optional.empty();
        }
        documents.forEach(d -> d.remove(METADATA_KEY));
        return Optional.of(new SopsDocument(format, List.copyOf(documents), metadata));
    }

    private static boolean isMetadata(Map<?, ?> metadata) {
        return metadata.containsKey("lastmodified") || metadata.containsKey("mac");
    }
}
