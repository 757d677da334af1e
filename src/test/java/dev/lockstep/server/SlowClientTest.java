package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.testing.FakeCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients must not starve the probes (a liveness probe that goes unanswered gets the pod restarted),
 * nor hold a connection or a thread for longer than the limits say. Figures are measured and printed, never slept for:
 * on a loaded 2-core machine the probe bound is what a kubelet allows (1 s), and the timeouts are checked against
 * generous upper bounds.
 */
class SlowClientTest {
    private static final int STALLED = 100;
    private static final Duration PROBE_BOUND = Duration.ofSeconds(1);
    private static final String TOKEN = "s3cret";

    private final List<Socket> sockets = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private StatusServer server;

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private StatusServer start(StatusServer.Limits limits, int maxEventClients) throws IOException {
        StatusPage page = new StatusPage(
                new StatusPage.Sources(
                        () -> List.of(AppStatus.unknown("hello")),
                        new FakeCluster(),
                        new FakeCluster(),
                        new FakeCluster()),
                Optional.empty(),
                Clock.systemUTC(),
                maxEventClients,
                Duration.ofSeconds(15));
        closeables.add(page);
        Endpoints endpoints = new Endpoints(
                        () -> "",
                        Readiness.of(() -> true, ""),
                        () -> List.of(AppStatus.unknown("hello")),
                        WebhookTrigger.of(app -> true, List::of, new java.util.LinkedHashMap<>()),
                        Optional.of(WebhookSecret.of(TOKEN.getBytes(StandardCharsets.UTF_8))))
                .withPage(page);
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints, limits);
        closeables.add(server);
        return server;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(s);
        return s;
    }

    /** Opens a connection, sends {@code text} and nothing more. */
    private Socket stall(String text) throws IOException {
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** What a client saw: the status line (or why there was none) and how long it waited for it. */
    private record Answer(String status, Duration took) {
        @Override
        public String toString() {
            return status + " in " + took.toMillis() + " ms";
        }
    }

    /** The first 12 bytes the server sends on {@code s}, waiting at most 10 s; "closed" if it closes first. */
    private static Answer statusLine(Socket s, long since) {
        try {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return new Answer(status.isEmpty() ? "closed" : status, Duration.ofNanos(System.nanoTime() - since));
        } catch (IOException e) {
            String why = e instanceof java.net.SocketException ? "closed" : e.toString();
            return new Answer(why, Duration.ofNanos(System.nanoTime() - since));
        }
    }

    /** The whole {@code GET path}, on a fresh connection; timed from connect to the status line. */
    private Answer probe(String path) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 10_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return statusLine(s, t0);
        } catch (IOException e) {
            return new Answer(e.toString(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private static void assertAnsweredInTime(String path, Answer answer) {
        assertThat(answer.status()).as("%s: %s", path, answer).isEqualTo("HTTP/1.1 200");
        assertThat(answer.took()).as("%s: %s", path, answer).isLessThan(PROBE_BOUND);
    }

    /** A webhook call with the right token that announces a body and sends only part of it. */
    private static String stalledWebhook() {
        return "POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\nX-Lockstep-Token: " + TOKEN
                + "\r\nContent-Length: 100\r\n\r\n{\"ref\":";
    }

    @Test
    void probesAnswerWithinASecondWhileAHundredClientsStallInTheirHeaders() throws Exception {
        start(StatusServer.Limits.DEFAULT, 4);
        for (int i = 0; i < STALLED; i++) {
            // half a request: the request line and part of a header, never the blank line that ends the headers
            stall(i % 2 == 0 ? "GET /status HTTP/1.1\r\nHost: local" : "GET /sta");
        }

        Answer health = probe("/healthz");
        Answer ready = probe("/readyz");
        System.out.printf(
                "slow clients: %d stalled in their headers; /healthz %s, /readyz %s%n", STALLED, health, ready);
        assertAnsweredInTime("/healthz", health);
        assertAnsweredInTime("/readyz", ready);
    }

    @Test
    void probesAnswerWithinASecondWhileEveryWorkerAndEventStreamIsTakenByAStalledClient() throws Exception {
        StatusServer.Limits limits = StatusServer.Limits.DEFAULT;
        start(limits, 4);
        for (int i = 0; i < STALLED; i++) {
            stall("GET /healthz HTTP/1.1\r\n");
        }
        // every worker waits for a body that does not come
        List<Socket> waiting = new ArrayList<>();
        for (int i = 0; i < limits.workers(); i++) {
            waiting.add(stall(stalledWebhook()));
        }
        // every event stream is open, its client reading nothing
        for (int i = 0; i < 4; i++) {
            stall("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        // once the stalled webhooks hold every worker, one more ordinary request is refused at once, not queued
        Answer[] busy = new Answer[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            busy[0] = probe("/status");
            return busy[0].status().equals("HTTP/1.1 503");
        });
        Answer health = probe("/healthz");
        Answer ready = probe("/readyz");
        System.out.printf(
                "slow clients: %d stalled in headers, %d workers and 4 event streams held; /status %s, /healthz %s,"
                        + " /readyz %s%n",
                STALLED, limits.workers(), busy[0], health, ready);
        assertAnsweredInTime("/healthz", health);
        assertAnsweredInTime("/readyz", ready);
        for (Socket s : waiting) {
            assertThat(s.getInputStream().available())
                    .as("the stalled webhooks are still waiting")
                    .isZero();
        }
    }

    @Test
    void aConnectionThatStallsInItsHeadersIsClosedAfterTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        start(new StatusServer.Limits(idle, Duration.ofSeconds(10), 512, 8), 4);
        long t0 = System.nanoTime();
        Socket s = stall("GET /status HTTP/1.1\r\nHost: loc");

        Answer answer = statusLine(s, t0);

        System.out.printf("slow clients: stalled headers, idle timeout %d ms: %s%n", idle.toMillis(), answer);
        assertThat(answer.status()).as(answer.toString()).isIn("closed", "HTTP/1.1 408");
        assertThat(answer.took()).isGreaterThanOrEqualTo(idle).isLessThan(idle.plusSeconds(5));
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408EvenWhileItTrickles() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        start(new StatusServer.Limits(Duration.ofSeconds(10), deadline, 512, 8), 4);
        long t0 = System.nanoTime();
        Socket s = stall(stalledWebhook());
        // one byte every 100 ms: never idle, never done
        Thread trickle = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < 80; i++) {
                            Thread.sleep(100);
                            s.getOutputStream().write(' ');
                        }
                    } catch (IOException | InterruptedException closed) {
                        // the server answered and closed, or the test ended
                    }
                },
                "trickle");
        trickle.setDaemon(true);
        trickle.start();

        Answer answer = statusLine(s, t0);

        trickle.interrupt();
        System.out.printf("slow clients: trickled webhook body, body timeout %d ms: %s%n", deadline.toMillis(), answer);
        assertThat(answer.status()).as(answer.toString()).isEqualTo("HTTP/1.1 408");
        assertThat(answer.took()).isGreaterThanOrEqualTo(deadline).isLessThan(deadline.plusSeconds(5));
    }

    @Test
    void beyondTheConnectionCapANewConnectionWaitsUntilAStalledOneIsClosed() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        start(new StatusServer.Limits(idle, Duration.ofSeconds(10), 4, 8), 4);
        for (int i = 0; i < 4; i++) {
            stall("GET /sta");
        }
        Thread.sleep(100); // the four are accepted (no bound depends on it)

        Answer health = probe("/healthz");

        System.out.printf(
                "slow clients: 4 stalled at a cap of 4, idle timeout %d ms: /healthz %s%n", idle.toMillis(), health);
        assertThat(health.status()).isEqualTo("HTTP/1.1 200");
        assertThat(health.took())
                .as("served only once the idle timeout freed a connection")
                .isGreaterThanOrEqualTo(idle.dividedBy(2));
    }
}
