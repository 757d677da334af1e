package dev.lockstep.model;

import java.time.Instant;

/** A commit as the rest of Lockstep sees it; JGit types stay inside this package. */
public record Revision(String commit, String subject, String message, String author, String authorEmail, Instant time) {
    public String shortSha() {
        return commit.substring(0, Math.min(7, commit.length()));
    }
}
