package dev.lockstep.server;

import dev.lockstep.cluster.ClusterException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's JSON feeds, all {@code GET}:
 * <ul>
 *   <li>{@code /api/apps} every app, {@code /api/apps/{app}} one ({@link AppViews});</li>
 *   <li>{@code /api/apps/{app}/history/{namespace}/{name}} a Deployment's revision timeline ({@link HistoryFeed});</li>
 *   <li>{@code /api/apps/{app}/diff/{namespace}/{name}/{revision}} that revision's pod template against the current
 *       one.</li>
 *   <li>{@code /api/apps/{app}/history/{kind}/{namespace}/{name}} and {@code .../diff/{kind}/{namespace}/{name}/{revision}}
 *       the same for a StatefulSet or DaemonSet ({@code statefulset}, {@code daemonset}), from its
 *       ControllerRevisions.</li>
 * </ul>
 * Only workloads the app manages are answered; anything else is 404. A ReplicaSet or ControllerRevision list that
 * fails is 503.
 */
final class ApiHandler implements Route {
    private final AppViews views;
    private final HistoryFeed history;

    ApiHandler(AppViews views, HistoryFeed history) {
        this.views = views;
        this.history = history;
    }

    @Override
    public void handle(Exchange exchange, String rest) throws IOException {
        if (Responses.refuseOtherThan(exchange, "GET")) {
            return;
        }
        String[] p = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
        if (p.length == 0 || !p[0].equals("apps")) {
            Responses.notFound(exchange);
            return;
        }
        if (p.length == 1) {
            Responses.json(exchange, 200, views.all());
            return;
        }
        for (String part : p) {
            if (part.isEmpty()) {
                Responses.notFound(exchange);
                return;
            }
        }
        String app = p[1];
        try {
            Optional<Map<String, Object>> answer;
            if (p.length == 2) {
                answer = views.one(app);
            } else if (p.length == 5 && p[2].equals("history")) {
                answer = history.history(app, p[3], p[4]);
            } else if (p.length == 6 && p[2].equals("diff") && p[5].matches("\\d{1,18}")) {
                answer = history.diff(app, p[3], p[4], Long.parseLong(p[5]));
            } else if (p.length == 6 && p[2].equals("history")) {
                answer = HistoryFeed.workload(p[3], p[4], p[5]).flatMap(key -> history.history(app, key));
            } else if (p.length == 7 && p[2].equals("diff") && p[6].matches("\\d{1,18}")) {
                answer = HistoryFeed.workload(p[3], p[4], p[5])
                        .flatMap(key -> history.diff(app, key, Long.parseLong(p[6])));
            } else {
                answer = Optional.empty();
            }
            if (answer.isPresent()) {
                Responses.json(exchange, 200, answer.get());
            } else {
                Responses.notFound(exchange);
            }
        } catch (ClusterException e) {
            Responses.error(exchange, 503, "cluster: " + e.getMessage());
        }
    }
}
