package dev.lockstep.notify;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP POST a destination wants sent. Its uri and headers may hold secrets (a Slack url, a token): they go to the
 * receiver only, never to a log.
 */
public record Outgoing(URI uri, Map<String, String> headers, String body) {
    public Outgoing {
        headers = Map.copyOf(headers);
    }
}
