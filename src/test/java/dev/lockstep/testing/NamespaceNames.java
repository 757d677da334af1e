package dev.lockstep.testing;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** Test namespace names: {@code t-<test name, DNS-label safe>-<5 random chars>}, at most 63 characters. */
final class NamespaceNames {

    static final int MAX_LENGTH = 63;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 5;

    private NamespaceNames() {}

    static String forTest(String testName, RandomGenerator random) {
        int room = MAX_LENGTH - "t-".length() - 1 - SUFFIX_LENGTH;
        String middle = sanitize(testName);
        if (middle.length() > room) {
            middle = middle.substring(0, room).replaceAll("-+$", "");
        }
        StringBuilder name = new StringBuilder("t-");
        if (!middle.isEmpty()) {
            name.append(middle).append('-');
        }
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }

    /** Lower case, runs of anything outside [a-z0-9] become one '-', no '-' at either end. */
    static String sanitize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }
}
