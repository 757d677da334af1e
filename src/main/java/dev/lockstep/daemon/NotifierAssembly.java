package dev.lockstep.daemon;

import dev.lockstep.config.NotificationSettings;
import dev.lockstep.config.NotificationSpec;
import dev.lockstep.notify.CommitStatus;
import dev.lockstep.notify.Destination;
import dev.lockstep.notify.Forge;
import dev.lockstep.notify.NotificationCounter;
import dev.lockstep.notify.Notifier;
import dev.lockstep.notify.Route;
import dev.lockstep.notify.Sender;
import dev.lockstep.notify.Slack;
import dev.lockstep.notify.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Builds the notifier from the {@code notifications:} list: reads the url, secret and token files (their content goes
 * to the receivers only; an error names the field, never what the file holds).
 */
final class NotifierAssembly {
    private NotifierAssembly() {}

    static Notifier of(NotificationSettings settings, NotificationCounter counter) {
        List<NotificationSpec> specs = settings.destinations();
        if (specs.isEmpty()) {
            return Notifier.none();
        }
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().isEmpty()) {
                throw new IllegalArgumentException("notifications[" + i + "].name: required");
            }
        }
        List<Route> routes = specs.stream()
                .map(s -> new Route(s.name(), destination(s, settings.externalUrl()), s.events(), s.apps()))
                .toList();
        return new Notifier(
                routes, new Sender(Sender.Policy.standard(), Sender.Sleeper.REAL), Notifier.QUEUE_CAPACITY, counter);
    }

    private static Destination destination(NotificationSpec s, Optional<String> externalUrl) {
        String field = "notifications " + s.name() + ": ";
        return switch (s.type()) {
            case WEBHOOK ->
                new Webhook(
                        url(field + "urlFile", s.urlFile().orElseThrow()),
                        s.secretFile().map(p -> read(field + "secretFile", p)));
            case SLACK -> new Slack(url(field + "urlFile", s.urlFile().orElseThrow()), externalUrl);
            case GITHUB, GITLAB, GITEA -> {
                Forge forge = Forge.valueOf(s.type().name());
                yield new CommitStatus(
                        forge,
                        s.baseUrl().orElse(forge.defaultBaseUrl()),
                        read(field + "tokenFile", s.tokenFile().orElseThrow()),
                        app -> s.repositories().getOrDefault(app, ""),
                        externalUrl);
            }
        };
    }

    private static URI url(String field, Path file) {
        String text = read(field, file);
        try {
            URI uri = URI.create(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException(field + " " + file + ": does not hold an http:// or https:// url");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + " " + file + ": does not hold a valid url"); // no cause: it quotes
        }
    }

    private static String read(String field, Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + field + " " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
