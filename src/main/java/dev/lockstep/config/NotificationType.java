package dev.lockstep.config;

/** Where a {@code notifications:} entry sends: written in lower case in the config. */
public enum NotificationType {
    WEBHOOK,
    SLACK,
    GITHUB,
    GITLAB,
    GITEA;

    /** A commit status on the git host (a token, not a url). */
    public boolean isCommitStatus() {
        return this == GITHUB || this == GITLAB || this == GITEA;
    }
}
