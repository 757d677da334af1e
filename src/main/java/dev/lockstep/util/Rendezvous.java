package dev.lockstep.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Optional;

/**
 * Rendezvous (highest random weight) hashing: an item belongs to the member with the highest hash of (item, member).
 * Every replica computes the same owner from the same member list, and when a member joins or leaves only the items it
 * gains or had move: the others keep theirs.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The owner of {@code item} among {@code members}; empty when there are none. */
    public static Optional<String> owner(String item, Collection<String> members) {
        String best = null;
        long bestWeight = Long.MIN_VALUE;
        for (String member : members) {
            long weight = weight(item, member);
            if (best == null || weight > bestWeight || (weight == bestWeight && member.compareTo(best) < 0)) {
                best = member;
                bestWeight = weight;
            }
        }
        return Optional.ofNullable(best);
    }

    /** SHA-256, not String.hashCode: stable across JVMs and versions, and well spread over similar names. */
    static long weight(String item, String member) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(item.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0); // "ab"+"c" and "a"+"bc" must differ
            byte[] digest = sha.digest(member.getBytes(StandardCharsets.UTF_8));
            long weight = 0;
            for (int i = 0; i < 8; i++) {
                weight = (weight << 8) | (digest[i] & 0xff);
            }
            return weight;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
