package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.reconcile.AppStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients must not starve the probes: a liveness probe that goes unanswered gets the pod restarted.
 * Figures are measured and printed, never slept for: on a loaded 2-core machine the bound is what a kubelet allows
 * (1 s), not a guess at how fast the server is.
 */
class SlowClientTest {
    private static final int STALLED = 100;
    private static final Duration PROBE_BOUND = Duration.ofSeconds(1);

    private final List<Socket> sockets = new ArrayList<>();
    private StatusServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private StatusServer start() throws IOException {
        Endpoints endpoints = new Endpoints(
                () -> "",
                Readiness.of(() -> true, ""),
                () -> List.of(AppStatus.unknown("hello")),
                WebhookTrigger.of(app -> true, List::of, new java.util.LinkedHashMap<>()),
                Optional.of(WebhookSecret.of("s3cret".getBytes(StandardCharsets.UTF_8))));
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);
        return server;
    }

    /** Opens a connection, sends {@code text} and nothing more. */
    private Socket stall(String text) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** What a probe saw: the status line (or why there was none) and how long from connect to it. */
    private record Answer(String status, Duration took) {
        @Override
        public String toString() {
            return status + " in " + took.toMillis() + " ms";
        }
    }

    /** The whole {@code GET path}, on a fresh connection. */
    private Answer probe(String path) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return new Answer(status.isEmpty() ? "closed" : status, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            return new Answer(e.toString(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private static void assertAnsweredInTime(String path, Answer answer) {
        assertThat(answer.status()).as("%s: %s", path, answer).isEqualTo("HTTP/1.1 200");
        assertThat(answer.took()).as("%s: %s", path, answer).isLessThan(PROBE_BOUND);
    }

    @Test
    void probesAnswerWithinASecondWhileAHundredClientsStallInTheirHeaders() throws Exception {
        start();
        for (int i = 0; i < STALLED; i++) {
            // half a request: the request line and one header, never the blank line that ends the headers
            stall(i % 2 == 0 ? "GET /status HTTP/1.1\r\nHost: local" : "GET /sta");
        }
        Thread.sleep(200); // let the server take them all in; the bound below does not depend on it

        Answer health = probe("/healthz");
        Answer ready = probe("/readyz");
        System.out.printf(
                "slow clients: %d stalled in their headers; /healthz %s, /readyz %s%n", STALLED, health, ready);
        assertAnsweredInTime("/healthz", health);
        assertAnsweredInTime("/readyz", ready);
    }
}
