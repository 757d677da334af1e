package dev.lockstep.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Objects whose prune was refused (above {@code maxPruneShare}), kept until a person confirms: no later commit can
 * make them a small enough share to slip through.
 *
 * @param commit  the commit at which their prune was first refused
 * @param objects the objects held, in a stable order
 */
public record PruneHold(String commit, List<InventoryEntry> objects) {
    public static final PruneHold NONE = new PruneHold("", List.of());

    public PruneHold {
        objects = objects.stream()
                .sorted(Comparator.comparing((InventoryEntry e) -> e.key().toString()))
                .toList();
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    /**
     * Names exactly this hold: a confirmation given for one set of objects never releases a different set (say, one
     * a later refusal grew).
     */
    public String token() {
        StringBuilder text = new StringBuilder(commit);
        objects.forEach(
                e -> text.append('\n').append(e.apiVersion()).append(' ').append(e.key()));
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
