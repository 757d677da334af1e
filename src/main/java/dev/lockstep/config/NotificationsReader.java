package dev.lockstep.config;

import dev.lockstep.model.NotificationEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the top-level {@code notifications:} list, naming each bad field. */
final class NotificationsReader {
    private NotificationsReader() {}

    static List<NotificationSpec> read(List<FieldReader> entries, Path baseDir, List<AppSpec> apps) {
        Set<String> names = new HashSet<>();
        return entries.stream()
                .map(r -> {
                    NotificationSpec spec = entry(r, baseDir, apps);
                    if (!spec.name().isEmpty() && !names.add(spec.name())) {
                        r.problem("name", "duplicate notification name '" + spec.name() + "'");
                    }
                    return spec;
                })
                .toList();
    }

    private static NotificationSpec entry(FieldReader r, Path baseDir, List<AppSpec> apps) {
        String name = r.requiredString("name");
        Optional<NotificationType> type = type(r);
        Optional<Path> urlFile = r.file("urlFile", baseDir, NamedFiles.Kind.SECRET);
        Optional<Path> secretFile = r.file("secretFile", baseDir, NamedFiles.Kind.SECRET);
        Optional<Path> tokenFile = r.file("tokenFile", baseDir, NamedFiles.Kind.SECRET);
        Optional<String> baseUrl = r.string("baseUrl");
        Optional<String> repository = r.string("repository");
        Set<NotificationEvent> events = events(r);
        Set<String> covered = r.strings("apps");
        Set<String> known = apps.stream().map(AppSpec::name).collect(Collectors.toSet());
        covered.stream().filter(a -> !known.contains(a)).forEach(a -> r.problem("apps", "no app is named '" + a + "'"));
        Map<String, String> repositories = new LinkedHashMap<>();
        type.ifPresent(t -> {
            boolean status = t.isCommitStatus();
            if (!status && urlFile.isEmpty()) {
                r.problem("urlFile", "required for type " + lower(t));
            }
            if (status && tokenFile.isEmpty()) {
                r.problem("tokenFile", "required for type " + lower(t));
            }
            notFor(r, "urlFile", urlFile.isPresent() && status, "webhook, slack");
            notFor(r, "secretFile", secretFile.isPresent() && t != NotificationType.WEBHOOK, "webhook");
            notFor(r, "tokenFile", tokenFile.isPresent() && !status, "github, gitlab, gitea");
            notFor(r, "baseUrl", baseUrl.isPresent() && !status, "github, gitlab, gitea");
            notFor(r, "repository", repository.isPresent() && !status, "github, gitlab, gitea");
            if (t == NotificationType.GITEA && baseUrl.isEmpty()) {
                r.problem("baseUrl", "required for type gitea (the server's url, e.g. https://gitea.example.com)");
            }
            baseUrl.filter(u -> !isHttpUrl(u))
                    .ifPresent(u -> r.problem("baseUrl", "must be an http:// or https:// url"));
            if (status) {
                for (AppSpec app : apps) {
                    if (!covered.isEmpty() && !covered.contains(app.name())) {
                        continue;
                    }
                    Optional<String> path =
                            repository.or(() -> HostRepository.of(app.repo().url()));
                    path.ifPresentOrElse(
                            p -> repositories.put(app.name(), p),
                            () -> r.problem(
                                    "repository",
                                    "cannot be derived from the repo.url of app '" + app.name()
                                            + "' (not an https or ssh url with owner/repository); set it"));
                }
            }
        });
        r.rejectUnknown();
        return new NotificationSpec(
                name,
                type.orElse(NotificationType.WEBHOOK),
                urlFile,
                secretFile,
                tokenFile,
                baseUrl,
                repositories,
                events,
                covered);
    }

    private static Optional<NotificationType> type(FieldReader r) {
        Optional<String> given = r.string("type");
        if (given.isEmpty()) {
            r.problem("type", "required (one of " + allowedTypes() + ")");
            return Optional.empty();
        }
        Optional<NotificationType> type = Arrays.stream(NotificationType.values())
                .filter(t -> lower(t).equals(given.get()))
                .findFirst();
        if (type.isEmpty()) {
            r.problem("type", "'" + given.get() + "' is not one of " + allowedTypes());
        }
        return type;
    }

    private static Set<NotificationEvent> events(FieldReader r) {
        Set<String> given = r.strings("events");
        if (given.isEmpty()) {
            return NotificationEvent.defaults();
        }
        Set<NotificationEvent> events = EnumSet.noneOf(NotificationEvent.class);
        for (String id : given) {
            NotificationEvent.of(id)
                    .ifPresentOrElse(
                            events::add,
                            () -> r.problem(
                                    "events",
                                    "'" + id + "' is not an event (one of "
                                            + Arrays.stream(NotificationEvent.values())
                                                    .map(NotificationEvent::id)
                                                    .collect(Collectors.joining(", "))
                                            + ")"));
        }
        return events;
    }

    private static void notFor(FieldReader r, String key, boolean misplaced, String types) {
        if (misplaced) {
            r.problem(key, "only applies to type " + types);
        }
    }

    static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String allowedTypes() {
        return Arrays.stream(NotificationType.values())
                .map(NotificationsReader::lower)
                .collect(Collectors.joining(", "));
    }

    private static String lower(NotificationType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
