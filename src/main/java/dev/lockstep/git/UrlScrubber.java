package dev.lockstep.git;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text: the userinfo of any {@code scheme://user:secret@host} url becomes
 * {@code ***}, and known secret values are blanked wherever they appear. Pure functions, no state.
 */
public final class UrlScrubber {

    public static final String MASK = "***";

    // Greedy up to the last '@' of the token: a password with an unencoded '@' is still fully hidden.
    // That over-scrubs a rare "scheme://host/path@x" token, which is the safe side to err on.
    private static final Pattern USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^\\s'\"<>]*@");

    private UrlScrubber() {}

    /** Text with the userinfo of every url replaced by {@value #MASK}; null stays null. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        return USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
    }

    /** Like {@link #scrub(String)}, and also blanks each given secret value wherever it occurs. */
    public static String scrub(String text, Collection<String> secrets) {
        String result = scrub(text);
        if (result == null) {
            return null;
        }
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
