package dev.lockstep.server;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an authenticated webhook call is about, read from the forge's event header and, for a push, the {@code ref} of
 * its payload. GitHub (and Gitea, Forgejo, Gogs, which send the same payload) name the event in {@code X-GitHub-Event}
 * (resp. {@code X-Gitea-Event}, {@code X-Gogs-Event}); GitLab in {@code X-Gitlab-Event}.
 */
sealed interface PushEvent {
    /** No forge event header: a generic call (curl, a CI job) that asks for a pass regardless of the branch. */
    record Unspecified() implements PushEvent {}

    /** A push to {@code ref} (e.g. {@code refs/heads/main}). */
    record Push(String ref) implements PushEvent {}

    /** Any other forge event (ping, tag push, merge request...): acknowledged, triggers nothing. */
    record Other(String event) implements PushEvent {}

    /** A push event whose body is not a push payload. */
    record Malformed(String why) implements PushEvent {}

    JsonMapper JSON = JsonMapper.builder().build();

    static PushEvent of(UnaryOperator<String> headers, byte[] body) {
        Optional<String> github = first(headers, "X-GitHub-Event", "X-Gitea-Event", "X-Gogs-Event");
        Optional<String> gitlab = first(headers, "X-Gitlab-Event");
        if (github.isEmpty() && gitlab.isEmpty()) {
            return new Unspecified();
        }
        String event = github.orElseGet(gitlab::get).strip();
        boolean push = github.isPresent()
                ? event.toLowerCase(Locale.ROOT).equals("push")
                : event.equalsIgnoreCase("Push Hook");
        if (!push) {
            return new Other(event);
        }
        try {
            JsonNode ref = JSON.readTree(body).get("ref");
            if (ref == null || !ref.isString() || ref.asString().isBlank()) {
                return new Malformed("push payload without a ref");
            }
            return new Push(ref.asString());
        } catch (JacksonException e) {
            return new Malformed("push payload is not JSON");
        }
    }

    private static Optional<String> first(UnaryOperator<String> headers, String... names) {
        for (String name : names) {
            String value = headers.apply(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
