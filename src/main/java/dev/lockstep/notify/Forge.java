package dev.lockstep.notify;

import dev.lockstep.model.NotificationEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** The three commit-status APIs: their paths, authentication, state names and description limits. */
public enum Forge {
    /** {@code POST /repos/{owner}/{repo}/statuses/{sha}}; description up to 140 characters. */
    GITHUB("https://api.github.com", 140),
    /** {@code POST /api/v4/projects/{id}/statuses/{sha}} with the project path url-encoded as its id. */
    GITLAB("https://gitlab.com", 255),
    /** {@code POST /api/v1/repos/{owner}/{repo}/statuses/{sha}}. */
    GITEA("", 255);

    private final String defaultBaseUrl;
    private final int descriptionLimit;

    Forge(String defaultBaseUrl, int descriptionLimit) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.descriptionLimit = descriptionLimit;
    }

    /** "" when there is none (Gitea is always self-hosted: {@code baseUrl} is required). */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    int descriptionLimit() {
        return descriptionLimit;
    }

    String path(String repository, String sha) {
        return switch (this) {
            case GITHUB -> "/repos/" + repository + "/statuses/" + sha;
            case GITLAB ->
                "/api/v4/projects/" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/statuses/" + sha;
            case GITEA -> "/api/v1/repos/" + repository + "/statuses/" + sha;
        };
    }

    Map<String, String> auth(String token) {
        return switch (this) {
            case GITHUB -> Map.of("Authorization", "Bearer " + token, "Accept", "application/vnd.github+json");
            case GITLAB -> Map.of("PRIVATE-TOKEN", token);
            case GITEA -> Map.of("Authorization", "token " + token);
        };
    }

    /** The key naming the status: GitLab calls it {@code name}, the others {@code context}. */
    String contextKey() {
        return this == GITLAB ? "name" : "context";
    }

    /** The state an event sets, if it sets one. */
    Optional<String> state(NotificationEvent event) {
        boolean gitlab = this == GITLAB;
        return switch (event) {
            case APPLIED -> Optional.of(gitlab ? "running" : "pending");
            case HEALTHY -> Optional.of("success");
            case ROLLOUT_FAILED -> Optional.of(gitlab ? "failed" : "failure");
            case REFUSED -> Optional.of(gitlab ? "failed" : "error");
            default -> Optional.empty();
        };
    }
}
