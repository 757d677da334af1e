package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Packs the large parts of an app's record into a ConfigMap's binaryData, gzipped, so that an app of 10,000 objects
 * stays well under the API server's 1 MiB object limit. The fingerprints are one line per object (group, kind,
 * namespace, name, digest; tab-separated: none of these may contain a tab), in key order, so the same record always
 * packs to the same bytes and an unchanged record is not written again.
 */
final class RecordPacking {
    /** Text above this size goes into binaryData gzipped; below it stays readable with {@code kubectl get -o yaml}. */
    static final int PLAIN_LIMIT = 64 * 1024;

    private RecordPacking() {}

    static String fingerprintLines(Map<ResourceKey, String> fingerprints) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(fingerprints)
                .forEach((k, fp) -> out.append(k.group())
                        .append('\t')
                        .append(k.kind())
                        .append('\t')
                        .append(k.namespace())
                        .append('\t')
                        .append(k.name())
                        .append('\t')
                        .append(fp)
                        .append('\n'));
        return out.toString();
    }

    /** Lines that do not have five fields are skipped: a fingerprint missing only costs a dry run. */
    static Map<ResourceKey, String> parseFingerprints(String lines) {
        Map<ResourceKey, String> out = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 5 && !f[1].isEmpty() && !f[3].isEmpty()) {
                out.put(new ResourceKey(f[0], f[1], f[2], f[3]), f[4]);
            }
        }
        return out;
    }

    /** Gzipped and base64-encoded, as binaryData holds it. */
    static String pack(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String unpack(String base64) {
        try (GZIPInputStream gz =
                new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
