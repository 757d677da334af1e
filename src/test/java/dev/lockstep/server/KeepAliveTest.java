package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook senders (forges, proxies, the JDK's client) keep connections alive. An answer given before the request body
 * was read (401 to a caller without credentials) must leave the connection usable for the next request, or say
 * {@code Connection: close}: a connection closed silently after such an answer fails the client's next request with
 * "no bytes received".
 */
class KeepAliveTest {
    private static final byte[] SECRET = "s3cret-webhook".getBytes(StandardCharsets.UTF_8);
    private static final String REFUSED_HEAD = "POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: ";

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

    private void start(StatusServer.Limits limits) throws IOException {
        Endpoints endpoints = new Endpoints(
                () -> "",
                Readiness.of(() -> true, ""),
                List::of,
                WebhookTrigger.of(app -> true, List::of, new LinkedHashMap<>()),
                Optional.of(WebhookSecret.of(SECRET)));
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints, limits);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One response's status line and headers, read up to the blank line; "" when the connection is closed first. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.US_ASCII);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** One whole response (head and its Content-Length body), or what arrived before the connection closed. */
    private static String response(InputStream in) throws IOException {
        String head = head(in);
        int length = head.lines()
                .filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(l -> Integer.parseInt(l.substring(15).trim()))
                .findFirst()
                .orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** How many of {@code count} refused POSTs of {@code size} bytes on one kept-alive client did not get their 401. */
    private int failuresOfRefusedPosts(HttpClient http, int size, int count) throws InterruptedException {
        String body = "x".repeat(size);
        int failed = 0;
        List<String> why = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/webhook/hello"))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 401) {
                    failed++;
                    why.add("#" + i + ": " + r.statusCode());
                }
            } catch (IOException e) {
                failed++;
                why.add("#" + i + ": " + e.getMessage());
            }
        }
        System.out.printf(
                "keep-alive: %d refused POSTs of %d bytes on one client: %d failed %s%n",
                count, size, failed, why.stream().limit(5).toList());
        return failed;
    }

    @Test
    void refusedWebhooksWithBodiesLeaveTheKeptAliveConnectionUsable() throws Exception {
        start(StatusServer.Limits.DEFAULT);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        int small = failuresOfRefusedPosts(http, 64 * 1024, 200);
        int large = failuresOfRefusedPosts(http, 512 * 1024, 200);

        assertThat(small).as("failed requests with 64 KiB bodies").isZero();
        assertThat(large).as("failed requests with 512 KiB bodies").isZero();
    }

    @Test
    void aRequestSentAfterARefusedWebhookBodyIsAnsweredOnTheSameConnection() throws Exception {
        start(StatusServer.Limits.DEFAULT);
        Socket s = connect();
        int size = 512 * 1024;
        send(s, REFUSED_HEAD + size + "\r\n\r\n");
        InputStream in = s.getInputStream();
        String refused = response(in); // answered before the body is sent

        send(s, "x".repeat(size) + "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        String next = response(in);

        assertThat(refused).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("Connection: close");
        assertThat(next)
                .as("the request after the refused one")
                .startsWith("HTTP/1.1 200")
                .endsWith("ok\n");
    }

    @Test
    void aRefusedBodyTooLargeToSkipIsAnsweredWithConnectionClose() throws Exception {
        start(StatusServer.Limits.DEFAULT);
        Socket s = connect();
        send(s, REFUSED_HEAD + (Exchange.DISCARD_LIMIT + 1) + "\r\n\r\n");
        InputStream in = s.getInputStream();

        String refused = response(in);

        assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close");
        assertThat(in.read()).as("then the server closes").isEqualTo(-1);
    }

    @Test
    void aRefusedBodyThatTricklesIsCutOffAfterTheBodyTimeout() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        start(new StatusServer.Limits(Duration.ofSeconds(10), deadline, 512, 8));
        Socket s = connect();
        long t0 = System.nanoTime();
        send(s, REFUSED_HEAD + "100\r\n\r\n{");
        Thread trickle = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < 80; i++) {
                            Thread.sleep(100);
                            send(s, " "); // never idle, never done
                        }
                    } catch (IOException | InterruptedException closed) {
                        // the server closed, or the test ended
                    }
                },
                "trickle");
        trickle.setDaemon(true);
        trickle.start();
        InputStream in = s.getInputStream();

        String refused = response(in);
        Duration answered = Duration.ofNanos(System.nanoTime() - t0);
        int end;
        try {
            end = in.read();
        } catch (java.net.SocketException reset) {
            end = -1;
        }
        Duration closed = Duration.ofNanos(System.nanoTime() - t0);
        trickle.interrupt();

        System.out.printf(
                "keep-alive: trickled refused body, body timeout %d ms: 401 after %d ms, closed after %d ms%n",
                deadline.toMillis(), answered.toMillis(), closed.toMillis());
        assertThat(refused).startsWith("HTTP/1.1 401");
        assertThat(answered).as("answered without waiting for the body").isLessThan(deadline);
        assertThat(end).as("closed").isEqualTo(-1);
        assertThat(closed).isGreaterThanOrEqualTo(deadline).isLessThan(deadline.plusSeconds(5));
    }

    @Test
    void refusedBodiesThatStallHoldNoThreadTheProbesNeed() throws Exception {
        start(StatusServer.Limits.DEFAULT); // 8 workers, 4 spare threads
        for (int i = 0; i < 40; i++) {
            Socket s = connect();
            send(s, REFUSED_HEAD + "100\r\n\r\n{");
            assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 401");
        }

        long t0 = System.nanoTime();
        Socket probe = connect();
        send(probe, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String health = response(probe.getInputStream());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        System.out.printf("keep-alive: 40 refused bodies stalled; /healthz in %d ms%n", took.toMillis());
        assertThat(health).startsWith("HTTP/1.1 200");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }
}
