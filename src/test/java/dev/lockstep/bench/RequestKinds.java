package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests counted by {@link dev.lockstep.testing.RequestCounter}, grouped by verb and resource ("GET replicasets
 * (list)", "PATCH (dry run) deployments"), so a round that should cost nothing says what it cost and where.
 */
final class RequestKinds {
    private RequestKinds() {}

    /** "3× GET configmaps, 20× GET replicasets (list)", or "none". */
    static String of(List<String> requests) {
        Map<String, Integer> by = new TreeMap<>();
        for (String r : requests) {
            by.merge(kind(r), 1, Integer::sum);
        }
        if (by.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        by.forEach((k, v) -> parts.add(v + "× " + k));
        return String.join(", ", parts);
    }

    /**
     * One line per distinct cost among the apps: how many apps sent which requests ("37 apps: none", "12 apps: 20× GET
     * replicasets (list), 1× PUT configmaps"), the most common first.
     */
    static List<String> perApp(Map<String, List<String>> requestsByApp) {
        Map<String, List<String>> appsByCost = new TreeMap<>();
        requestsByApp.forEach((app, requests) ->
                appsByCost.computeIfAbsent(of(requests), k -> new ArrayList<>()).add(app));
        return appsByCost.entrySet().stream()
                .sorted((a, b) -> b.getValue().size() - a.getValue().size())
                .map(e -> String.format(
                        Locale.ROOT,
                        "%d apps (%s%s): %s",
                        e.getValue().size(),
                        String.join(
                                ", ",
                                e.getValue().subList(0, Math.min(3, e.getValue().size()))),
                        e.getValue().size() > 3 ? ", ..." : "",
                        e.getKey()))
                .toList();
    }

    /** "GET replicasets (list)", "PUT configmaps", "GET deployments (watch)", "PATCH (dry run) deployments". */
    static String kind(String request) {
        String method = request.substring(0, request.indexOf(' '));
        String pathAndQuery = request.substring(request.indexOf(' ') + 1);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] parts = path.split("/");
        int ns = -1;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("namespaces") && i + 2 < parts.length) {
                ns = i;
            }
        }
        String resource = ns >= 0 ? parts[ns + 2] : parts[parts.length - 1];
        boolean named = ns >= 0 && parts.length > ns + 3;
        String what = query.contains("watch=true") ? " (watch)" : named ? "" : " (list)";
        return method + (query.contains("dryRun=") ? " (dry run) " : " ") + resource + what;
    }
}
