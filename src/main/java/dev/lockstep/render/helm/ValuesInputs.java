package dev.lockstep.render.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The values after the chart's own {@code values.yaml}, in Helm's order: each values file, then the inline values.
 * Helm merges them itself (they are handed over as values files); this class finds the files, refuses one outside
 * the repository or reached through a symlink, and digests what went in.
 */
final class ValuesInputs {
    private static final int DIGEST_HEX_CHARS = 12;

    /** One values file: as written in the config, and its content. */
    record ValuesFile(String asWritten, byte[] content) {}

    private final List<ValuesFile> files;
    private final String inlineYaml;

    private ValuesInputs(List<ValuesFile> files, String inlineYaml) {
        this.files = files;
        this.inlineYaml = inlineYaml;
    }

    List<ValuesFile> files() {
        return files;
    }

    String inlineYaml() {
        return inlineYaml;
    }

    static ValuesInputs read(
            Path repositoryRoot, Path chartDirectory, List<String> valuesFiles, Map<String, Object> values)
            throws HelmRenderException, IOException {
        Path root = repositoryRoot.toAbsolutePath().normalize();
        List<ValuesFile> files = new ArrayList<>();
        for (String asWritten : valuesFiles) {
            Path file = chartDirectory.toAbsolutePath().resolve(asWritten).normalize();
            if (!file.startsWith(root)) {
                throw new HelmRenderException("valuesFiles: " + asWritten + " is outside the repository");
            }
            for (Path step = file; !step.equals(root); step = step.getParent()) {
                if (Files.isSymbolicLink(step)) {
                    throw new HelmRenderException(
                            "valuesFiles: " + asWritten + " goes through a symlink (" + root.relativize(step) + ")");
                }
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new HelmRenderException("valuesFiles: " + asWritten + " does not exist in the commit");
            }
            files.add(new ValuesFile(asWritten, Files.readAllBytes(file)));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String inline = values.isEmpty() ? "" : new Yaml(options).dump(values);
        return new ValuesInputs(List.copyOf(files), inline);
    }

    /** The chart's values.yaml, each values file and the inline values, each length-prefixed; 12 hex characters. */
    String digest(Path chartDirectory) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        Path chartValues = chartDirectory.resolve("values.yaml");
        update(sha256, Files.isRegularFile(chartValues) ? Files.readAllBytes(chartValues) : new byte[0]);
        for (ValuesFile file : files) {
            update(sha256, file.content());
        }
        update(sha256, inlineYaml.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest()).substring(0, DIGEST_HEX_CHARS);
    }

    private static void update(MessageDigest digest, byte[] part) {
        digest.update((part.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(part);
    }
}
