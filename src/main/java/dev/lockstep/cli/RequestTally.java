package dev.lockstep.cli;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the dry runs and the writes a command sends, so a user can see that an in-sync cluster cost none. */
final class RequestTally implements Interceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final AtomicInteger dryRuns = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (!WRITES.contains(request.method())) {
            return;
        }
        String query = request.uri().getRawQuery();
        if (query != null && query.contains("dryRun=")) {
            dryRuns.incrementAndGet();
        } else {
            writes.incrementAndGet();
        }
    }

    /** {@code sent 3 dry runs and 1 write}. */
    String summary() {
        return "sent " + plural(dryRuns.get(), "dry run") + " and " + plural(writes.get(), "write");
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
