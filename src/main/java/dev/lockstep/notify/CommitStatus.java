package dev.lockstep.notify;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A commit status on the commit itself (GitHub, GitLab, Gitea), named {@code lockstep/<app>}: {@code applied} sets
 * pending, {@code healthy} success, {@code rollout-failed} failure, {@code refused} error. Other events set none.
 */
public final class CommitStatus implements Destination {
    private final Forge forge;
    private final String baseUrl;
    private final String token;
    private final Function<String, String> repositoryOfApp;
    private final Optional<String> externalUrl;

    /**
     * @param repositoryOfApp {@code owner/repo} (GitLab: the project's path) for an app, from {@code repository} or
     *                        the app's {@code repo.url}
     */
    public CommitStatus(
            Forge forge,
            String baseUrl,
            String token,
            Function<String, String> repositoryOfApp,
            Optional<String> externalUrl) {
        this.forge = forge;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.repositoryOfApp = repositoryOfApp;
        this.externalUrl = externalUrl;
    }

    @Override
    public String type() {
        return forge.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Optional<Outgoing> request(Notice n) {
        return forge.state(n.event()).map(state -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", state);
            body.put(forge.contextKey(), "lockstep/" + n.app());
            body.put("description", truncate(n.message(), forge.descriptionLimit()));
            externalUrl.ifPresent(u -> body.put("target_url", StatusLink.of(u)));
            Map<String, String> headers = new LinkedHashMap<>(forge.auth(token));
            headers.put("Content-Type", "application/json");
            URI uri = URI.create(baseUrl + forge.path(repositoryOfApp.apply(n.app()), n.commit()));
            return new Outgoing(uri, headers, Json.write(body));
        });
    }

    /** At most {@code limit} characters (code points are not split), the last one an ellipsis when cut. */
    static String truncate(String text, int limit) {
        if (text.codePointCount(0, text.length()) <= limit) {
            return text;
        }
        int end = text.offsetByCodePoints(0, limit - 1);
        return text.substring(0, end) + "…";
    }
}
