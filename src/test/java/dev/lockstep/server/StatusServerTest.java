package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.metrics.MetricsListener;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private static final String SHA = "abc1234def5678abc1234def5678abc1234def56";
    private static final byte[] SECRET = "s3cret-webhook".getBytes(StandardCharsets.UTF_8);
    private static final String PUSH = "{\"ref\":\"refs/heads/main\",\"after\":\"" + SHA + "\"}";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean started = new AtomicBoolean(false);
    private final List<String> triggered = new CopyOnWriteArrayList<>();
    private final WebhookTrigger trigger = WebhookTrigger.of(
            app -> {
                if (!app.equals("hello")) {
                    return false;
                }
                triggered.add(app);
                return true;
            },
            () -> {
                triggered.add("*");
                return List.of("hello", "other");
            },
            new java.util.LinkedHashMap<>(java.util.Map.of("hello", "main")));
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StatusServer server;

    private StatusServer start(Optional<WebhookSecret> secret, int maxBytes) throws IOException {
        AppStatus hello = new AppStatus(
                "hello",
                AppHealth.HEALTHY,
                SHA,
                "image v2",
                "all objects applied and rolled out",
                List.of(),
                Map.of(
                        "shop/hello-app",
                        new RolloutStatus(RolloutState.HEALTHY, "deployment \"hello-app\" successfully rolled out", 2)),
                Instant.parse("2025-03-01T10:15:30Z"));
        // wired as the daemon wires it: ready once started
        Endpoints endpoints = new Endpoints(
                registry::scrape,
                Readiness.of(started::get, "starting"),
                () -> List.of(hello, AppStatus.unknown("other")),
                trigger,
                secret,
                maxBytes);
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);
        return server;
    }

    private StatusServer start() throws IOException {
        return start(Optional.of(WebhookSecret.of(SECRET)), Endpoints.DEFAULT_MAX_WEBHOOK_BYTES);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String body) {
        return WebhookSecret.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void metricsShowEverySeriesAfterOneOfEachEvent() throws Exception {
        start();
        MetricsListener metrics = new MetricsListener(registry);
        Revision v2 = new Revision(SHA, "image v2", "image v2\n", "Dev", "dev@example.com", Instant.EPOCH);
        ResourceKey deploy = ResourceKey.of("apps/v1", "Deployment", "shop", "hello-app");
        ResourceKey svc = ResourceKey.of("v1", "Service", "shop", "hello-svc");
        metrics.passFinished("hello", PassOutcome.APPLIED, Duration.ofMillis(1500));
        metrics.applied("hello", deploy, "apps/v1", v2, false);
        metrics.applied("hello", svc, "v1", v2, true);
        metrics.pruned("hello", ResourceKey.of("v1", "ConfigMap", "shop", "old"), "v1");
        metrics.rolloutFinished("hello", deploy, new RolloutStatus(RolloutState.HEALTHY, "ok", 2), v2);
        metrics.rolloutFinished("hello", deploy, new RolloutStatus(RolloutState.FAILED, "deadline", 3), v2);
        metrics.rolledBack("hello", deploy, 2, 4, v2, true);
        metrics.drift("hello", deploy, "spec.replicas", true);
        metrics.drift("hello", svc, "spec.ports", false);
        metrics.gitError("hello", "unreachable");
        metrics.pruneRefused("hello", "mass deletion");
        metrics.rejected("hello", v2, List.of("bad.yaml:3: nope"));
        metrics.commitApplied("hello", v2);

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body().lines())
                .contains(
                        "lockstep_reconcile_seconds_count{app=\"hello\",result=\"applied\"} 1",
                        "lockstep_reconcile_seconds_sum{app=\"hello\",result=\"applied\"} 1.5",
                        "lockstep_reconcile_seconds_max{app=\"hello\",result=\"applied\"} 1.5",
                        "lockstep_objects_applied_total{action=\"updated\",app=\"hello\",kind=\"Deployment\"} 1.0",
                        "lockstep_objects_applied_total{action=\"created\",app=\"hello\",kind=\"Service\"} 1.0",
                        "lockstep_objects_pruned_total{app=\"hello\",kind=\"ConfigMap\"} 1.0",
                        "lockstep_rollouts_total{app=\"hello\",result=\"healthy\"} 1.0",
                        "lockstep_rollouts_total{app=\"hello\",result=\"failed\"} 1.0",
                        "lockstep_rollbacks_total{app=\"hello\",reused=\"true\"} 1.0",
                        "lockstep_drift_total{app=\"hello\",corrected=\"true\",kind=\"Deployment\"} 1.0",
                        "lockstep_drift_total{app=\"hello\",corrected=\"false\",kind=\"Service\"} 1.0",
                        "lockstep_git_errors_total{app=\"hello\"} 1.0",
                        "lockstep_prune_refusals_total{app=\"hello\"} 1.0",
                        "lockstep_commits_rejected_total{app=\"hello\"} 1.0",
                        "lockstep_app_info{app=\"hello\",commit=\"" + SHA + "\",subject=\"image v2\"} 1");
    }

    @Test
    void healthzAnswersOk() throws Exception {
        start();
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void healthzIs503WithTheReasonWhileLivenessFailsAndOkAgainAfter() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean electorRunning = new java.util.concurrent.atomic.AtomicBoolean(true);
        Endpoints endpoints = new Endpoints(
                        registry::scrape, Readiness.of(() -> true, ""), List::of, trigger, Optional.empty())
                .withLiveness(Readiness.of(electorRunning::get, "the leader election has stopped"));
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        electorRunning.set(false);
        HttpResponse<String> down = get("/healthz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("unhealthy: the leader election has stopped\n");
        assertThat(get("/readyz").statusCode())
                .as("readiness is another question")
                .isEqualTo(200);

        electorRunning.set(true);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void leadershipMetersShowTheGaugeAndTheLosses() throws Exception {
        start();
        java.util.concurrent.atomic.AtomicBoolean leading = new java.util.concurrent.atomic.AtomicBoolean(true);
        dev.lockstep.metrics.LeadershipMeters meters =
                new dev.lockstep.metrics.LeadershipMeters(registry, leading::get);
        assertThat(get("/metrics").body())
                .contains("lockstep_leader 1.0")
                .contains("lockstep_leadership_lost_total 0.0");

        leading.set(false);
        meters.lost();
        assertThat(get("/metrics").body())
                .contains("lockstep_leader 0.0")
                .contains("lockstep_leadership_lost_total 1.0");
    }

    @Test
    void readyzIs503WithTheReasonUntilStartedThen200AndAgain503WhenStopping() throws Exception {
        start();
        HttpResponse<String> starting = get("/readyz");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).isEqualTo("not ready: starting\n");

        started.set(true);
        HttpResponse<String> isReady = get("/readyz");
        assertThat(isReady.statusCode()).isEqualTo(200);
        assertThat(isReady.body()).isEqualTo("ok\n");

        started.set(false); // the daemon clears it first thing on close
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void readyzShowsWhateverReasonTheSupplierGives() throws Exception {
        Endpoints endpoints = new Endpoints(
                registry::scrape, () -> Optional.of("shutting down"), List::of, trigger, Optional.empty());
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);

        HttpResponse<String> r = get("/readyz");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("not ready: shutting down\n");
        assertThat(http.send(
                                HttpRequest.newBuilder(uri("/readyz"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void statusListsEveryAppInTheDocumentedShape() throws Exception {
        start();
        HttpResponse<String> r = get("/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body())
                .isEqualTo("[" + helloJson() + ","
                        + "{\"app\":\"other\",\"health\":\"Unknown\",\"commit\":\"\",\"subject\":\"\",\"message\":\"not reconciled yet\","
                        + "\"errors\":[],\"deployments\":{},\"workloads\":{},\"lastPass\":null}]");
    }

    private static String helloJson() {
        return "{\"app\":\"hello\",\"health\":\"Healthy\",\"commit\":\"" + SHA + "\",\"subject\":\"image v2\","
                + "\"message\":\"all objects applied and rolled out\",\"errors\":[],"
                + "\"deployments\":{\"shop/hello-app\":{\"state\":\"Healthy\","
                + "\"message\":\"deployment \\\"hello-app\\\" successfully rolled out\",\"revision\":2}},"
                + "\"workloads\":{},"
                + "\"lastPass\":\"2025-03-01T10:15:30Z\"}";
    }

    @Test
    void statusOfOneAppAndOfAnUnknownOne() throws Exception {
        start();
        HttpResponse<String> hello = get("/status/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo(helloJson());

        assertThat(get("/status/nope").statusCode()).isEqualTo(404);
        assertThat(get("/status/hello/extra").statusCode()).isEqualTo(404);
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        start();
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/statusx").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/x").statusCode()).isEqualTo(404);
        HttpResponse<String> post = post("/healthz", "");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void handlerFailureIsA500WithoutDetails() throws Exception {
        Endpoints endpoints = new Endpoints(
                () -> {
                    throw new IllegalStateException("secret internals at line 42");
                },
                Readiness.of(() -> true, ""),
                List::of,
                trigger,
                Optional.empty());
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"error\":\"internal error\"}").doesNotContain("IllegalState");
    }

    @Test
    void webhookWithTheRightGitHubSignatureTriggersOneApp() throws Exception {
        start();
        HttpResponse<String> r = post(
                "/webhook/hello",
                PUSH,
                "X-Hub-Signature-256",
                sign(PUSH),
                "X-GitHub-Event",
                "push",
                "Content-Type",
                "application/json");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"triggered\":[\"hello\"]}");
        assertThat(triggered).containsExactly("hello");
    }

    @Test
    void aGitHubPushTriggersOnlyTheAppsFollowingThatBranch() throws Exception {
        start();
        String feature = "{\"ref\":\"refs/heads/feature\"}";

        HttpResponse<String> toMain =
                post("/webhook", PUSH, "X-Hub-Signature-256", sign(PUSH), "X-GitHub-Event", "push");
        assertThat(toMain.statusCode()).isEqualTo(202);
        assertThat(toMain.body()).isEqualTo("{\"triggered\":[\"hello\"]}");
        assertThat(triggered).containsExactly("hello");

        HttpResponse<String> toFeature =
                post("/webhook/hello", feature, "X-Hub-Signature-256", sign(feature), "X-GitHub-Event", "push");
        assertThat(toFeature.statusCode()).isEqualTo(202);
        assertThat(toFeature.body())
                .contains("\"triggered\":[]")
                .contains("a push to refs/heads/feature is not to a followed branch");
        String tag = "{\"ref\":\"refs/tags/main\"}";
        assertThat(post("/webhook", tag, "X-Hub-Signature-256", sign(tag), "X-GitHub-Event", "push")
                        .body())
                .contains("\"triggered\":[]");
        HttpResponse<String> ping = post(
                "/webhook",
                "{\"zen\":\"hi\"}",
                "X-Hub-Signature-256",
                sign("{\"zen\":\"hi\"}"),
                "X-GitHub-Event",
                "ping");
        assertThat(ping.statusCode()).isEqualTo(202);
        assertThat(ping.body()).contains("event 'ping' is not a push");
        assertThat(triggered).as("only the push to main triggered anything").containsExactly("hello");
    }

    @Test
    void aGitLabPushWithItsSecretTokenTriggersTheAppOnItsBranchOnly() throws Exception {
        start();
        String main = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\"}";
        String other = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/develop\"}";

        HttpResponse<String> r =
                post("/webhook/hello", main, "X-Gitlab-Token", "s3cret-webhook", "X-Gitlab-Event", "Push Hook");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"triggered\":[\"hello\"]}");
        assertThat(post("/webhook/hello", other, "X-Gitlab-Token", "s3cret-webhook", "X-Gitlab-Event", "Push Hook")
                        .body())
                .contains("refs/heads/develop is not to a followed branch");
        assertThat(post("/webhook", main, "X-Gitlab-Token", "s3cret-webhook", "X-Gitlab-Event", "Tag Push Hook")
                        .body())
                .contains("event 'Tag Push Hook' is not a push");
        assertThat(post("/webhook", main, "X-Gitlab-Token", "wrong", "X-Gitlab-Event", "Push Hook")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/webhook", "not json", "X-Gitlab-Token", "s3cret-webhook", "X-Gitlab-Event", "Push Hook")
                        .statusCode())
                .isEqualTo(400);
        assertThat(triggered).containsExactly("hello");
    }

    @Test
    void webhookWithoutAppTriggersAll() throws Exception {
        start();
        HttpResponse<String> r = post("/webhook", PUSH, "X-Hub-Signature-256", sign(PUSH));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"triggered\":[\"hello\",\"other\"]}");
        assertThat(triggered).containsExactly("*");
    }

    @Test
    void webhookWithAWrongSignatureIsRefusedAndTriggersNothing() throws Exception {
        start();
        String forged = WebhookSecret.of("other-secret".getBytes(StandardCharsets.UTF_8))
                .sign(PUSH.getBytes(StandardCharsets.UTF_8));
        assertThat(post("/webhook/hello", PUSH, "X-Hub-Signature-256", forged).statusCode())
                .isEqualTo(401);
        // signed for a different body
        assertThat(post("/webhook/hello", PUSH + " ", "X-Hub-Signature-256", sign(PUSH))
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/webhook/hello", PUSH, "X-Hub-Signature-256", "sha256=zz")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post(
                                "/webhook/hello",
                                PUSH,
                                "X-Hub-Signature-256",
                                sign(PUSH).substring(7))
                        .statusCode())
                .isEqualTo(401);
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookWithoutCredentialsIsRefusedAndTriggersNothing() throws Exception {
        start();
        HttpResponse<String> r = post("/webhook/hello", PUSH);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(post("/webhook", PUSH).statusCode()).isEqualTo(401);
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookAcceptsTheGenericTokenForms() throws Exception {
        start();
        assertThat(post("/webhook/hello", "", "Authorization", "Bearer s3cret-webhook")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/webhook/hello", "", "X-Lockstep-Token", "s3cret-webhook")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/webhook/hello", "", "Authorization", "Bearer s3cret-webhooK")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/webhook/hello", "", "X-Lockstep-Token", "s3cret").statusCode())
                .isEqualTo(401);
        assertThat(triggered).containsExactly("hello", "hello");
    }

    @Test
    void webhookForAnUnknownAppIs404AfterAuthentication() throws Exception {
        start();
        assertThat(post("/webhook/nope", "", "X-Lockstep-Token", "s3cret-webhook")
                        .statusCode())
                .isEqualTo(404);
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookRefusesAnOversizedBodyAndTriggersNothing() throws Exception {
        start(Optional.of(WebhookSecret.of(SECRET)), 1024);
        String big = "x".repeat(4096);

        HttpResponse<String> declared = post("/webhook/hello", big, "X-Hub-Signature-256", sign(big));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookRefusesAnOversizedBodyThatDeclaresNoLength() throws Exception {
        start(Optional.of(WebhookSecret.of(SECRET)), 1024);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\nX-Lockstep-Token: s3cret-webhook\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n1000\r\n" + "x".repeat(4096) + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
        assertThat(triggered).isEmpty();
    }

    @Test
    void aRequestTheServerCannotParseIs400WithoutDetailsOrServerName() throws Exception {
        start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write("GET /status HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("{\"error\":\"Bad Request\"}");
            assertThat(answer.toLowerCase(java.util.Locale.ROOT))
                    .doesNotContain("jetty", "exception", "server:", "illegal character");
        }
        HttpResponse<String> ok = get("/healthz");
        assertThat(ok.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void webhookAnswers413FromTheHeadersAloneWithoutWaitingForTheBody() throws Exception {
        start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // 100 MiB announced, none sent: the answer must come from the header alone
            out.write(("POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\nX-Lockstep-Token: s3cret-webhook\r\n"
                            + "Content-Length: 104857600\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookWithoutCredentialsIsRefusedBeforeItsBodyIsRead() throws Exception {
        start(); // cap 1 MiB
        int size = 2 << 20;
        for (String credentials : List.of("", "X-Lockstep-Token: wrong\r\n", "Authorization: Bearer wrong\r\n")) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\n" + credentials + "Content-Length: "
                                + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // the 2 MiB body follows on another thread; the answer must not depend on it
                Thread sender = new Thread(
                        () -> {
                            try {
                                byte[] chunk = new byte[64 * 1024];
                                for (int sent = 0; sent < size; sent += chunk.length) {
                                    out.write(chunk);
                                }
                            } catch (IOException closedByTheServer) {
                                // expected once the server has answered and closed
                            }
                        },
                        "webhook-body");
                sender.setDaemon(true);
                sender.start();
                String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(statusLine)
                        .as("credentials '%s'", credentials.strip())
                        .isEqualTo("HTTP/1.1 401"); // 413 would mean the body was looked at first
                sender.join(5000);
            }
        }
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookWithASignatureReadsTheBodyBeforeRefusingAWrongOne() throws Exception {
        start();
        String forged = WebhookSecret.of("other-secret".getBytes(StandardCharsets.UTF_8))
                .sign(PUSH.getBytes(StandardCharsets.UTF_8));
        byte[] body = PUSH.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /webhook/hello HTTP/1.1\r\nHost: localhost\r\nX-Hub-Signature-256: " + forged + "\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // headers alone: no verdict yet, the HMAC needs the body
            socket.setSoTimeout(500);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(in::read))
                    .as("an answer before the body was sent")
                    .isInstanceOf(java.net.SocketTimeoutException.class);

            out.write(body);
            out.flush();
            socket.setSoTimeout(5000);
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 401");
        }
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookOnlyAcceptsPost() throws Exception {
        start();
        HttpResponse<String> r = get("/webhook/hello");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(triggered).isEmpty();
    }

    @Test
    void webhookIsDisabledWithoutASecret() throws Exception {
        start(Optional.empty(), Endpoints.DEFAULT_MAX_WEBHOOK_BYTES);
        assertThat(post("/webhook/hello", PUSH, "X-Hub-Signature-256", sign(PUSH))
                        .statusCode())
                .isEqualTo(404);
        assertThat(post("/webhook", "", "Authorization", "Bearer s3cret-webhook")
                        .statusCode())
                .isEqualTo(404);
        assertThat(triggered).isEmpty();
    }

    @Test
    void closeStopsPromptlyAndFreesThePort() throws Exception {
        start();
        int port = server.port();
        long t0 = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        server = null;
        try (Socket s = new Socket()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                            () -> s.connect(new InetSocketAddress("127.0.0.1", port), 1000)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void secretFileMayEndWithANewline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("secret");
        java.nio.file.Files.writeString(file, "s3cret-webhook\n");
        WebhookSecret secret = WebhookSecret.read(file);
        assertThat(secret.matchesToken("s3cret-webhook")).isTrue();
        assertThat(secret.toString()).doesNotContain("s3cret");
    }
}
