package dev.lockstep.notify;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack incoming-webhook message: the app, the commit's short id and subject, what happened, the workload and its
 * revision, and a link to the status page when {@code http.externalUrl} is set.
 */
public final class Slack implements Destination {
    private final URI url;
    private final Optional<String> externalUrl;

    public Slack(URI url, Optional<String> externalUrl) {
        this.url = url;
        this.externalUrl = externalUrl;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public Optional<Outgoing> request(Notice n) {
        return Optional.of(
                new Outgoing(url, Map.of("Content-Type", "application/json"), Json.write(Map.of("text", text(n)))));
    }

    String text(Notice n) {
        StringBuilder s = new StringBuilder();
        s.append(icon(n))
                .append(" *")
                .append(n.app())
                .append("* ")
                .append(n.event().id())
                .append(": `");
        s.append(n.shortSha()).append('`');
        if (!n.subject().isEmpty()) {
            s.append(" \"").append(n.subject()).append('"');
        }
        n.workload().ifPresent(w -> {
            s.append(" · ")
                    .append(w.kind())
                    .append(' ')
                    .append(w.namespace())
                    .append('/')
                    .append(w.name());
            if (n.revision() > 0) {
                s.append(" revision ").append(n.revision());
            }
        });
        s.append('\n').append(n.message());
        externalUrl.ifPresent(u -> s.append("\n<").append(StatusLink.of(u)).append("|status page>"));
        return s.toString();
    }

    private static String icon(Notice n) {
        return switch (n.event().severity()) {
            case "error" -> ":x:";
            case "warning" -> ":warning:";
            default -> ":white_check_mark:";
        };
    }
}
