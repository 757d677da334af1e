package dev.lockstep.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A local HTTP receiver that records every request and answers with scripted status codes (then 200 or 201), or
 * never answers at all: stands in for a webhook receiver, Slack, or a git host's status API.
 */
public final class HttpReceiver implements AutoCloseable {
    /** One request as it arrived; header names in lower case. */
    public record Received(String method, String path, String rawPath, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<int[]> script = new ArrayDeque<>();
    private final Map<String, String> answerHeaders = new TreeMap<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private volatile int finalStatus = 200;
    private volatile boolean silent;

    public HttpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The next {@code times} requests are answered {@code status}, then the final status. */
    public HttpReceiver answer(int status, int times) {
        synchronized (script) {
            script.addLast(new int[] {status, times});
        }
        return this;
    }

    public HttpReceiver finallyAnswer(int status) {
        finalStatus = status;
        return this;
    }

    public HttpReceiver withHeader(String name, String value) {
        answerHeaders.put(name, value);
        return this;
    }

    /** Accepts connections and reads requests but never answers (until closed). */
    public HttpReceiver silent() {
        silent = true;
        return this;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        synchronized (received) {
            received.add(new Received(
                    x.getRequestMethod(),
                    x.getRequestURI().getPath(),
                    x.getRequestURI().getRawPath(),
                    headers,
                    body));
        }
        if (silent) {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        int status = next();
        answerHeaders.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, out.length);
        x.getResponseBody().write(out);
        x.close();
    }

    private int next() {
        synchronized (script) {
            int[] head = script.peekFirst();
            if (head == null) {
                return finalStatus;
            }
            if (--head[1] <= 0) {
                script.pollFirst();
            }
            return head[0];
        }
    }

    @Override
    public void close() {
        never.countDown();
        server.stop(0);
    }
}
