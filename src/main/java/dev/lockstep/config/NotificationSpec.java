package dev.lockstep.config;

import dev.lockstep.model.NotificationEvent;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the top-level {@code notifications:} list. The files hold secrets (a Slack url is one): they are read
 * when the daemon starts and never shown.
 *
 * @param urlFile      webhook, slack: the file holding the url to POST to
 * @param secretFile   webhook: the file holding the HMAC key of the {@code X-Signature} header
 * @param tokenFile    github, gitlab, gitea: the file holding the API token
 * @param baseUrl      github, gitlab, gitea: the API's base url (GitHub Enterprise, self-hosted GitLab or Gitea)
 * @param repositories github, gitlab, gitea: per app it covers, {@code owner/repo} (GitLab: the project's path), from
 *                     {@code repository} or derived from the app's {@code repo.url}
 * @param events       what it is sent
 * @param apps         the apps it is for; empty: every app
 */
public record NotificationSpec(
        String name,
        NotificationType type,
        Optional<Path> urlFile,
        Optional<Path> secretFile,
        Optional<Path> tokenFile,
        Optional<String> baseUrl,
        Map<String, String> repositories,
        Set<NotificationEvent> events,
        Set<String> apps) {
    public NotificationSpec {
        repositories = Map.copyOf(repositories);
        events = Set.copyOf(events);
        apps = Set.copyOf(apps);
    }
}
