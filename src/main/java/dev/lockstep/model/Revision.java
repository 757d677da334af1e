package dev.lockstep.model;

import java.time.Instant;

/** A commit as the rest of Lockstep sees it; JGit types stay inside the git package. */
public record Revision(String commit, String subject, String message, String author, String authorEmail, Instant time) {
    private static final int SHORT = 7;

    public String shortSha() {
        return shortSha(commit);
    }

    /** The first 7 hex digits, as git and kubectl show a commit; shorter input is returned whole. */
    public static String shortSha(String sha) {
        return sha.substring(0, Math.min(SHORT, sha.length()));
    }
}
