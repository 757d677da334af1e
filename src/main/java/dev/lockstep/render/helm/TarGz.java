package dev.lockstep.render.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a vendored chart archive ({@code charts/x-1.2.3.tgz}, as {@code helm package} writes it: ustar with PAX or
 * GNU long names) into a directory, dropping the archive's top directory (the chart's name). Only regular files and
 * directories are kept; an entry that would land outside the target is refused.
 */
final class TarGz {
    private static final int BLOCK = 512;
    private static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

    private TarGz() {}

    static void unpack(Path archive, Path target, String shownAs) throws HelmRenderException, IOException {
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            String longName = null;
            byte[] header = new byte[BLOCK];
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && !allZero(header)) {
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                byte[] content = readPadded(in, size);
                total += size;
                if (total > MAX_TOTAL_BYTES) {
                    throw new HelmRenderException(shownAs + ": archive unpacks to more than 64 MiB");
                }
                if (type == 'x') {
                    longName = paxPath(content, longName);
                    continue;
                }
                if (type == 'L') {
                    longName = cString(content, 0, content.length);
                    continue;
                }
                String name = longName != null ? longName : ustarName(header);
                longName = null;
                if (type != '0' && type != '\0' && type != '5') {
                    continue; // links, devices, global headers: never part of a chart Lockstep renders
                }
                int slash = name.indexOf('/');
                String inChart = slash < 0 ? "" : name.substring(slash + 1);
                if (inChart.isEmpty()) {
                    continue;
                }
                Path out = root.resolve(inChart).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new HelmRenderException(shownAs + ": entry " + name + " would unpack outside the chart");
                }
                if (type == '5') {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.write(out, HookKey.hide(content));
                }
            }
        }
    }

    private static byte[] readPadded(InputStream in, long size) throws IOException {
        if (size > MAX_TOTAL_BYTES) {
            throw new IOException("tar entry too large");
        }
        byte[] content = in.readNBytes((int) size);
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        in.skipNBytes(padding);
        return content;
    }

    private static String paxPath(byte[] content, String fallback) {
        // records of "<length> <key>=<value>\n"
        String records = new String(content, StandardCharsets.UTF_8);
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return fallback;
    }

    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] bytes, int offset, int length) throws IOException {
        String text = cString(bytes, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar header size is not octal");
        }
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
