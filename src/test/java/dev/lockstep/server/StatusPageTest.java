package dev.lockstep.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.HistoryEntry;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ReplicaSetInfo;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.rollout.RolloutState;
import dev.lockstep.rollout.RolloutStatus;
import dev.lockstep.testing.FakeCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The status page's server side: the page and its assets, the JSON feeds, the event stream's framing and bounds, the
 * token, and that no Secret or ConfigMap value reaches any of it. The cluster is {@link FakeCluster}, playing the
 * Deployment controller's part of the seed story: v1 (revision 1), v3 failed (revision 3), the revert reusing v2's
 * ReplicaSet as revision 4.
 */
class StatusPageTest {
    private static final String NS = "hello";
    private static final String V1 = "1c919cd0000000000000000000000000000000aa";
    private static final String V2 = "c9d82c00000000000000000000000000000000bb";
    private static final String V3 = "c9c249b0000000000000000000000000000000cc";
    private static final String REVERT = "551bae60000000000000000000000000000000dd";
    private static final String SECRET_VALUE = "hunter2-database-password";
    private static final String CONFIG_VALUE = "config-value-from-a-configmap";
    private static final ResourceKey DEPLOYMENT = ResourceKey.of("apps/v1", "Deployment", NS, "hello-app");
    private static final Instant NOW = Instant.parse("2026-11-26T16:22:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FakeCluster cluster = new FakeCluster();
    private final AtomicReference<AppStatus> status = new AtomicReference<>(healthyAtRevert());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private StatusPage page;
    private StatusServer server;

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    // ---- the seed story, as the fake cluster holds it ----

    private static AppStatus healthyAtRevert() {
        return new AppStatus(
                "hello",
                AppHealth.HEALTHY,
                REVERT,
                "Revert \"image v3\"",
                "all objects applied and rolled out",
                List.of(),
                Map.of(
                        NS + "/hello-app",
                        new RolloutStatus(RolloutState.HEALTHY, "deployment \"hello-app\" successfully rolled out", 4)),
                NOW);
    }

    private static Map<String, Object> template(String image) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "hello");
        container.put("image", image);
        container.put(
                "env",
                List.of(Map.of(
                        "name",
                        "DB_PASSWORD",
                        "valueFrom",
                        Map.of("secretKeyRef", Map.of("name", "db", "key", "password")))));
        return Map.of(
                "metadata",
                Map.of("labels", Map.of("app", "hello-app")),
                "spec",
                Map.of("containers", List.of(container)));
    }

    private static Map<String, String> commitAnnotations(long revision, String sha, String subject) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(MetadataKeys.DEPLOYMENT_REVISION, Long.toString(revision));
        a.put(MetadataKeys.COMMIT, sha);
        a.put(MetadataKeys.COMMIT_SUBJECT, subject);
        a.put(MetadataKeys.COMMIT_AUTHOR, "Ada Lovelace <ada@example.com>");
        a.put(MetadataKeys.APPLIED_AT, "2026-11-26T16:2" + revision + ":00Z");
        return a;
    }

    private void seedStory() {
        Map<String, String> revert = commitAnnotations(4, REVERT, "Revert \"image v3\"");
        revert.put(MetadataKeys.DEPLOYMENT_REVISION_HISTORY, "2");
        revert.put(MetadataKeys.ROLLBACK_OF, V2);
        revert.put(MetadataKeys.ROLLBACK_REVISION, "2");
        revert.put(MetadataKeys.RENDERED_BY, "kustomize v5.5.0");
        cluster.replicaSets(
                NS + "/hello-app",
                List.of(
                        new ReplicaSetInfo(
                                "hello-app-584558d9f9",
                                "u1",
                                1,
                                commitAnnotations(1, V1, "hello-app v1"),
                                template("080196/hello-app:v1"),
                                Instant.parse("2026-11-26T16:20:38Z"),
                                0),
                        new ReplicaSetInfo(
                                "hello-app-5f7895bb6b",
                                "u2",
                                4,
                                revert,
                                template("080196/hello-app:v2"),
                                Instant.parse("2026-11-26T16:20:40Z"),
                                3),
                        new ReplicaSetInfo(
                                "hello-app-7c97bf4bdf",
                                "u3",
                                3,
                                commitAnnotations(3, V3, "image v3"),
                                template("080196/hello-app:v3"),
                                Instant.parse("2026-11-26T16:20:43Z"),
                                0)));
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("apiVersion", "apps/v1");
        deployment.put("kind", "Deployment");
        deployment.put(
                "metadata",
                Map.of(
                        "name",
                        "hello-app",
                        "namespace",
                        NS,
                        "labels",
                        Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE, MetadataKeys.APP, "hello"),
                        "annotations",
                        new LinkedHashMap<>(revert)));
        deployment.put(
                "spec",
                Map.of(
                        "replicas",
                        3,
                        "selector",
                        Map.of("matchLabels", Map.of("app", "hello-app")),
                        "template",
                        template("080196/hello-app:v2")));
        deployment.put(
                "status", Map.of("replicas", 3, "updatedReplicas", 3, "readyReplicas", 2, "availableReplicas", 2));
        cluster.put(DEPLOYMENT, deployment);
        // what a user keeps next to it: their values must never show on the page
        cluster.put(
                ResourceKey.of("v1", "Secret", NS, "db"),
                Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "Secret",
                        "metadata",
                        Map.of(
                                "name",
                                "db",
                                "namespace",
                                NS,
                                "labels",
                                Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)),
                        "stringData",
                        Map.of("password", SECRET_VALUE)));
        cluster.put(
                ResourceKey.of("v1", "ConfigMap", NS, "settings"),
                Map.of(
                        "apiVersion",
                        "v1",
                        "kind",
                        "ConfigMap",
                        "metadata",
                        Map.of(
                                "name",
                                "settings",
                                "namespace",
                                NS,
                                "labels",
                                Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)),
                        "data",
                        Map.of("value", CONFIG_VALUE)));
        cluster.save(
                "hello",
                new AppRecord(
                        REVERT,
                        List.of(
                                new InventoryEntry(DEPLOYMENT, "apps/v1"),
                                new InventoryEntry(ResourceKey.of("v1", "Secret", NS, "db"), "v1"),
                                new InventoryEntry(ResourceKey.of("v1", "ConfigMap", NS, "settings"), "v1")),
                        List.of(
                                entry(1, "hello-app-584558d9f9", V1, "hello-app v1", "rolled out"),
                                entry(3, "hello-app-7c97bf4bdf", V3, "image v3", "failed"),
                                entry(4, "hello-app-5f7895bb6b", REVERT, "Revert \"image v3\"", "rolled back to 2"))));
        cluster.clearCalls();
    }

    private static HistoryEntry entry(long revision, String rs, String sha, String subject, String result) {
        return new HistoryEntry(
                "Deployment",
                NS + "/hello-app",
                revision,
                rs,
                sha,
                subject,
                "Ada Lovelace",
                Instant.parse("2026-11-26T16:20:00Z"),
                result);
    }

    private static Revision revision(String sha, String subject) {
        return new Revision(
                sha, subject, subject + "\n", "Ada Lovelace", "ada@example.com", Instant.parse("2026-11-26T16:19:00Z"));
    }

    private void start(Optional<UiToken> token, int maxEventClients, Duration heartbeat) throws Exception {
        seedStory();
        page = new StatusPage(
                new StatusPage.Sources(
                        () -> List.of(status.get()), cluster, cluster, cluster, cluster, app -> secretValues),
                token,
                Clock.fixed(NOW, ZoneOffset.UTC),
                maxEventClients,
                heartbeat);
        closeables.add(page);
        cluster.onChange(page::objectChanged);
        Endpoints endpoints = new Endpoints(
                        () -> "metrics\n",
                        Readiness.of(() -> true, ""),
                        () -> List.of(status.get()),
                        WebhookTrigger.of(a -> true, List::of, java.util.Map.of()),
                        Optional.of(WebhookSecret.of("s3cret".getBytes(StandardCharsets.UTF_8))))
                .withPage(page);
        server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), endpoints);
        closeables.add(server);
    }

    private void start() throws Exception {
        start(Optional.empty(), 4, Duration.ofSeconds(15));
    }

    /** What the page is told was encrypted in git for the app (SOPS); empty: not known yet. */
    private Optional<java.util.Set<String>> secretValues = Optional.of(java.util.Set.of());

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return JSON.readValue(json, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        return JSON.readValue(json, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    // ---- the page ----

    @Test
    void thePageAndItsAssetsComeFromTheJarAndLoadNothingFromElsewhere() throws Exception {
        start();

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
        assertThat(page.body()).contains("assets/app.js", "assets/app.css");
        HttpResponse<String> js = get("/assets/app.js");
        HttpResponse<String> css = get("/assets/app.css");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        for (String text : List.of(page.body(), js.body(), css.body())) {
            assertThat(text).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
            assertThat(text).doesNotContain("innerHTML");
        }
        assertThat(get("/assets/other.js").statusCode()).isEqualTo(404);
        assertThat(get("/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageIsReadOnly() throws Exception {
        start();
        for (String path : List.of("/", "/api/apps", "/api/apps/hello/history/hello/hello-app", "/events")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri(path))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
        }
        get("/api/apps/hello/history/hello/hello-app");
        get("/api/apps/hello/diff/hello/hello-app/1");
        assertThat(cluster.calls()).isNotEmpty().allSatisfy(c -> assertThat(c).matches("(listReplicaSets|load) .*"));
    }

    // ---- the feeds ----

    @Test
    void theAppsFeedShowsCommitHeadLastPassAndEachDeploymentsRollout() throws Exception {
        start();
        page.listener().commitApplied("hello", revision(REVERT, "Revert \"image v3\""));
        page.listener().passFinished("hello", PassOutcome.APPLIED, Duration.ofMillis(420));

        List<Map<String, Object>> apps = list(get("/api/apps").body());

        assertThat(apps).hasSize(1);
        Map<String, Object> hello = apps.get(0);
        assertThat(hello)
                .containsEntry("app", "hello")
                .containsEntry("health", "Healthy")
                .containsEntry("atHead", true)
                .containsEntry("errors", List.of())
                .containsEntry("heldPrunes", List.of())
                .containsEntry("refusedCommits", List.of());
        assertThat(at(hello, "commit"))
                .containsEntry("sha", REVERT)
                .containsEntry("short", "551bae6")
                .containsEntry("subject", "Revert \"image v3\"")
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("time", "2026-11-26T16:19:00Z");
        assertThat(at(hello, "lastPass"))
                .containsEntry("at", NOW.toString())
                .containsEntry("outcome", "applied")
                .containsEntry("tookMs", 420);
        Map<String, Object> d = rows(hello, "deployments").get(0);
        assertThat(d)
                .containsEntry("namespace", NS)
                .containsEntry("name", "hello-app")
                .containsEntry("state", "Healthy")
                .containsEntry("revision", 4)
                .containsEntry("images", List.of("080196/hello-app:v2"));
        assertThat(at(d, "replicas"))
                .containsEntry("desired", 3)
                .containsEntry("updated", 3)
                .containsEntry("ready", 2)
                .containsEntry("available", 2);
        assertThat(object(get("/api/apps/hello").body())).containsEntry("app", "hello");
        assertThat(get("/api/apps/nope").statusCode()).isEqualTo(404);
        assertThat(cluster.calls())
                .as("the apps feed reads the watch cache only")
                .isEmpty();
    }

    @Test
    void beforeThisProcessAppliedTheCommitItsAuthorComesFromTheDeployment() throws Exception {
        start();

        Map<String, Object> hello = list(get("/api/apps").body()).get(0);

        assertThat(at(hello, "commit"))
                .containsEntry("short", "551bae6")
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("renderedBy", "kustomize v5.5.0");
        assertThat(hello)
                .containsEntry("head", null)
                .containsEntry("atHead", null)
                .containsEntry("lastPass", null);
    }

    @Test
    void aRefusedCommitAndAHeldPruneAreShownWithTheirReasons() throws Exception {
        start();
        page.listener().pruneRefused("hello", "refusing to prune 3 of 4 objects");
        page.listener().commitApplied("hello", revision(REVERT, "Revert \"image v3\""));
        Revision bad = revision("8a147fc000000000000000000000000000000000", "broken manifest");
        page.listener().rejected("hello", bad, List.of("commit 8a147fc: app/broken.yaml:4: invalid YAML"));
        status.set(new AppStatus(
                "hello",
                AppHealth.STALLED,
                REVERT,
                "Revert \"image v3\"",
                "commit 8a147fc \"broken manifest\" not applied; the cluster stays at 551bae6",
                List.of("commit 8a147fc: app/broken.yaml:4: invalid YAML"),
                healthyAtRevert().deployments(),
                NOW));

        Map<String, Object> hello = list(get("/api/apps").body()).get(0);

        assertThat(hello)
                .containsEntry("health", "Stalled")
                .containsEntry("atHead", false)
                .containsEntry("heldPrunes", List.of("refusing to prune 3 of 4 objects"))
                .containsEntry("errors", List.of("commit 8a147fc: app/broken.yaml:4: invalid YAML"));
        assertThat(at(hello, "head")).containsEntry("short", "8a147fc");
        assertThat(rows(hello, "refusedCommits"))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .containsEntry("short", "8a147fc")
                        .containsEntry("subject", "broken manifest")
                        .containsEntry("errors", List.of("commit 8a147fc: app/broken.yaml:4: invalid YAML")));

        page.listener().commitApplied("hello", revision(V2, "fixed"));
        assertThat(list(get("/api/apps").body()).get(0))
                .as("the next applied commit without a refusal clears the held prune")
                .containsEntry("heldPrunes", List.of());
    }

    @Test
    void theHistoryFeedHasEveryRevisionWithItsCommitImagesAndResultNewestFirst() throws Exception {
        start();

        HttpResponse<String> r = get("/api/apps/hello/history/hello/hello-app");

        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> history = object(r.body());
        assertThat(history).containsEntry("revision", 4).containsEntry("state", "Healthy");
        List<Map<String, Object>> rows = rows(history, "rows");
        assertThat(rows).extracting(row -> row.get("revision")).containsExactly(4, 3, 1);
        Map<String, Object> four = rows.get(0);
        assertThat(four)
                .containsEntry("was", List.of(2))
                .containsEntry("current", true)
                .containsEntry("replicaSet", "hello-app-5f7895bb6b")
                .containsEntry("images", List.of("080196/hello-app:v2"))
                .containsEntry("appliedAt", "2026-11-26T16:24:00Z")
                .containsEntry("result", "rolled back to 2 (c9d82c0)")
                .containsEntry("resultKind", "rollback");
        assertThat(at(four, "commit"))
                .containsEntry("short", "551bae6")
                .containsEntry("subject", "Revert \"image v3\"")
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("renderedBy", "kustomize v5.5.0");
        assertThat(at(rows.get(1), "commit")).as("plain files: no engine").containsEntry("renderedBy", null);
        assertThat(at(four, "rollback"))
                .containsEntry("toRevision", 2)
                .containsEntry("commit", V2)
                .containsEntry("short", "c9d82c0");
        assertThat(rows.get(1))
                .containsEntry("current", false)
                .containsEntry("result", "failed")
                .containsEntry("resultKind", "failed")
                .containsEntry("was", List.of());
        assertThat(rows.get(2)).containsEntry("result", "rolled out").containsEntry("resultKind", "rolledOut");
    }

    @Test
    void replicaSetsAreListedOnlyWhenTheHistoryMayHaveChanged() throws Exception {
        start();
        get("/api/apps/hello/history/hello/hello-app");
        get("/api/apps/hello/history/hello/hello-app");
        get("/api/apps/hello/diff/hello/hello-app/3");
        page.listener().passFinished("hello", PassOutcome.UNCHANGED, Duration.ofMillis(5));
        cluster.edit(DEPLOYMENT, d -> ((Map<String, Object>) d.get("status")).put("readyReplicas", 3));
        get("/api/apps/hello/history/hello/hello-app");
        assertThat(cluster.calls("listReplicaSets"))
                .as("one list for all of that")
                .hasSize(1);

        page.listener()
                .rolloutFinished(
                        "hello",
                        DEPLOYMENT,
                        healthyAtRevert().deployments().get(NS + "/hello-app"),
                        revision(REVERT, ""));
        get("/api/apps/hello/history/hello/hello-app");
        assertThat(cluster.calls("listReplicaSets"))
                .as("a rollout ended: listed again")
                .hasSize(2);
    }

    @Test
    void aPastRevisionsPodTemplateIsDiffedAgainstTheCurrentOne() throws Exception {
        start();

        Map<String, Object> diff =
                object(get("/api/apps/hello/diff/hello/hello-app/3").body());

        assertThat(diff).containsEntry("revision", 3).containsEntry("current", 4);
        assertThat(diff.get("diff").toString())
                .contains("--- revision 3 (hello-app-7c97bf4bdf)")
                .contains("+++ revision 4 (hello-app-5f7895bb6b, current)")
                .contains("-    image: 080196/hello-app:v3")
                .contains("+    image: 080196/hello-app:v2");
        assertThat(object(get("/api/apps/hello/diff/hello/hello-app/4").body())).containsEntry("diff", "");
        assertThat(get("/api/apps/hello/diff/hello/hello-app/9").statusCode()).isEqualTo(404);
    }

    @Test
    void aRevisionDiffHidesValuesDecryptedFromGitAndIsWithheldWhileTheyAreUnknown() throws Exception {
        secretValues = Optional.of(java.util.Set.of("080196/hello-app:v3")); // stands in for a decrypted env value
        start();

        String diff = object(get("/api/apps/hello/diff/hello/hello-app/3").body())
                .get("diff")
                .toString();

        assertThat(diff).contains("-    image: ***").doesNotContain("080196/hello-app:v3");
        secretValues = Optional.empty();
        assertThat(object(get("/api/apps/hello/diff/hello/hello-app/3").body())
                        .get("diff")
                        .toString())
                .startsWith("(hidden until Lockstep has decrypted this app's commit")
                .doesNotContain("080196/hello-app:v3");
    }

    // ---- StatefulSets, DaemonSets and Jobs ----

    private static final ResourceKey STATEFUL_SET = ResourceKey.of("apps/v1", "StatefulSet", NS, "hello-app");
    private static final ResourceKey JOB = ResourceKey.of("batch/v1", "Job", NS, "migrate");
    private static final String JOB_FAILED =
            "job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit";

    private static Map<String, Object> managed(String kind, String name, Map<String, String> annotations) {
        return Map.of(
                "name",
                name,
                "namespace",
                NS,
                "generation",
                3,
                "labels",
                Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE, MetadataKeys.APP, "hello"),
                "annotations",
                annotations);
    }

    /**
     * Beside the seed story's Deployment: a StatefulSet of the same name (v1, a failed v2, v3 now) and a failed Job. The
     * StatefulSet's recorded entries come last and share revision 3 and commit V3 with the Deployment's.
     */
    private void statefulSetAndJob() {
        Map<String, Object> sts = new LinkedHashMap<>();
        sts.put("apiVersion", "apps/v1");
        sts.put("kind", "StatefulSet");
        sts.put("metadata", managed("StatefulSet", "hello-app", commitAnnotations(3, V3, "image v3")));
        sts.put(
                "spec",
                Map.of(
                        "replicas",
                        3,
                        "selector",
                        Map.of("matchLabels", Map.of("app", "hello-db")),
                        "template",
                        template("db:v3")));
        sts.put(
                "status",
                Map.of(
                        "observedGeneration",
                        3,
                        "replicas",
                        3,
                        "readyReplicas",
                        3,
                        "updatedReplicas",
                        3,
                        "currentRevision",
                        "hello-app-c3",
                        "updateRevision",
                        "hello-app-c3"));
        cluster.put(STATEFUL_SET, sts);
        cluster.controllerRevisions(
                "StatefulSet " + NS + "/hello-app",
                List.of(
                        new dev.lockstep.model.ControllerRevisionInfo(
                                "hello-app-c1",
                                "c1",
                                1,
                                commitAnnotations(1, V1, "hello-app v1"),
                                template("db:v1"),
                                NOW),
                        new dev.lockstep.model.ControllerRevisionInfo(
                                "hello-app-c2", "c2", 2, commitAnnotations(2, V2, "db v2"), template("db:v2"), NOW),
                        new dev.lockstep.model.ControllerRevisionInfo(
                                "hello-app-c3",
                                "c3",
                                3,
                                commitAnnotations(3, V3, "image v3"),
                                template("db:v3"),
                                NOW)));
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        job.put("metadata", managed("Job", "migrate", Map.of()));
        job.put("spec", Map.of("template", template("migrate:broken")));
        job.put("status", Map.of("failed", 2));
        cluster.put(JOB, job);
        AppRecord record = cluster.load("hello").orElseThrow();
        List<HistoryEntry> history = new ArrayList<>(record.history());
        history.add(stsEntry(1, "hello-app-c1", V1, "rolled out"));
        history.add(stsEntry(2, "hello-app-c2", V2, "failed"));
        history.add(stsEntry(3, "hello-app-c3", V3, "rolled out"));
        List<InventoryEntry> inventory = new ArrayList<>(record.inventory());
        inventory.add(new InventoryEntry(STATEFUL_SET, "apps/v1"));
        inventory.add(new InventoryEntry(JOB, "batch/v1"));
        cluster.save("hello", new AppRecord(record.commit(), inventory, history));
        AppStatus seed = healthyAtRevert();
        status.set(new AppStatus(
                seed.app(),
                AppHealth.FAILED,
                seed.commit(),
                seed.subject(),
                JOB_FAILED,
                List.of(),
                seed.deployments(),
                Map.of(
                        STATEFUL_SET.toString(),
                        new RolloutStatus(
                                RolloutState.HEALTHY,
                                "statefulset rolling update complete 3 pods at revision hello-app-c3...",
                                0),
                        JOB.toString(),
                        new RolloutStatus(RolloutState.FAILED, JOB_FAILED, 0)),
                NOW));
        cluster.clearCalls();
    }

    private static HistoryEntry stsEntry(long revision, String cr, String sha, String result) {
        return new HistoryEntry(
                "StatefulSet",
                NS + "/hello-app",
                revision,
                cr,
                sha,
                "s",
                "Ada Lovelace",
                Instant.parse("2026-11-26T16:20:00Z"),
                result);
    }

    @Test
    void statefulSetsAndJobsShowWithTheirStateBesideTheDeployments() throws Exception {
        start();
        statefulSetAndJob();

        Map<String, Object> hello = list(get("/api/apps").body()).get(0);

        assertThat(hello).containsEntry("health", "Failed");
        assertThat(rows(hello, "deployments"))
                .singleElement()
                .satisfies(d -> assertThat(d).containsEntry("name", "hello-app"));
        List<Map<String, Object>> workloads = rows(hello, "workloads");
        assertThat(workloads).extracting(w -> w.get("kind")).containsExactly("Job", "StatefulSet");
        assertThat(workloads.get(0))
                .containsEntry("name", "migrate")
                .containsEntry("state", "Failed")
                .containsEntry("message", JOB_FAILED)
                .containsEntry("history", false)
                .containsEntry("images", List.of("migrate:broken"));
        assertThat(at(workloads.get(0), "pods")).containsEntry("failed", 2).containsEntry("succeeded", 0);
        assertThat(workloads.get(1))
                .containsEntry("namespace", NS)
                .containsEntry("name", "hello-app")
                .containsEntry("state", "Healthy")
                .containsEntry("history", true)
                .containsEntry("images", List.of("db:v3"));
        assertThat(at(workloads.get(1), "pods"))
                .containsEntry("desired", 3)
                .containsEntry("ready", 3)
                .containsEntry("updated", 3);
        assertThat(cluster.calls())
                .as("the apps feed reads the watch cache only")
                .isEmpty();
    }

    @Test
    void aStatefulSetsHistoryNamesTheCommitsAndKeepsApartFromTheDeploymentOfTheSameName() throws Exception {
        start();
        statefulSetAndJob();

        Map<String, Object> sts = object(
                get("/api/apps/hello/history/statefulset/hello/hello-app").body());
        Map<String, Object> deployment =
                object(get("/api/apps/hello/history/hello/hello-app").body());

        assertThat(sts)
                .containsEntry("kind", "StatefulSet")
                .containsEntry("revisionKind", "ControllerRevision")
                .containsEntry("revision", 3)
                .containsEntry("state", "Healthy");
        List<Map<String, Object>> rows = rows(sts, "rows");
        assertThat(rows).extracting(row -> row.get("revision")).containsExactly(3, 2, 1);
        assertThat(rows)
                .extracting(row -> row.get("replicaSet"))
                .containsExactly("hello-app-c3", "hello-app-c2", "hello-app-c1");
        assertThat(rows).extracting(row -> row.get("result")).containsExactly("rolled out", "failed", "rolled out");
        assertThat(rows)
                .extracting(row -> at(row, "commit").get("short"))
                .containsExactly("c9c249b", "c9d82c0", "1c919cd");
        assertThat(rows.get(1)).containsEntry("images", List.of("db:v2")).containsEntry("current", false);
        assertThat(rows(deployment, "rows"))
                .as("the Deployment's revision 3 (commit V3) keeps its own result")
                .extracting(row -> row.get("result"))
                .containsExactly("rolled back to 2 (c9d82c0)", "failed", "rolled out");
        assertThat(object(get("/api/apps/hello/diff/statefulset/hello/hello-app/2")
                                .body())
                        .get("diff")
                        .toString())
                .contains("-    image: db:v2", "+    image: db:v3");
        assertThat(get("/api/apps/hello/history/job/hello/migrate").statusCode())
                .isEqualTo(404);
        assertThat(get("/api/apps/hello/history/daemonset/hello/hello-app").statusCode())
                .isEqualTo(404);
        assertThat(cluster.calls("listControllerRevisions")).as("listed once").hasSize(1);
    }

    @Test
    void onlyDeploymentsTheAppManagesAreAnswered() throws Exception {
        start();
        assertThat(get("/api/apps/hello/history/kube-system/coredns").statusCode())
                .isEqualTo(404);
        assertThat(get("/api/apps/nope/history/hello/hello-app").statusCode()).isEqualTo(404);
        assertThat(get("/api/apps/hello/history/hello").statusCode()).isEqualTo(404);
        assertThat(get("/api/apps/hello/diff/hello/hello-app/x").statusCode()).isEqualTo(404);
        assertThat(get("/api/apps//history/hello/hello-app").statusCode()).isEqualTo(404);
        assertThat(get("/api").statusCode()).isEqualTo(404);
        assertThat(cluster.calls("listReplicaSets")).isEmpty();
    }

    @Test
    void noSecretOrConfigMapValueReachesAnyFeed() throws Exception {
        start(Optional.empty(), 4, Duration.ofSeconds(15));
        page.listener().commitApplied("hello", revision(REVERT, "Revert \"image v3\""));
        List<String> bodies = new ArrayList<>();
        for (String path : List.of(
                "/",
                "/api/apps",
                "/api/apps/hello",
                "/api/apps/hello/history/hello/hello-app",
                "/api/apps/hello/diff/hello/hello-app/1",
                "/api/apps/hello/diff/hello/hello-app/3",
                "/status")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            bodies.add(r.body());
        }
        try (EventReader events = new EventReader(uri("/events"))) {
            bodies.add(events.next(Duration.ofSeconds(5)));
        }

        assertThat(bodies)
                .allSatisfy(body -> assertThat(body)
                        .doesNotContain(SECRET_VALUE)
                        .doesNotContain(CONFIG_VALUE)
                        .doesNotContain("ada@example.com"));
    }

    // ---- server-sent events ----

    /** Reads an event stream line by line on its own thread; blank-line-separated frames come out whole. */
    private static final class EventReader implements AutoCloseable {
        private final java.net.Socket socket;
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final List<String> headers = new ArrayList<>();
        private final Thread thread;

        EventReader(URI uri, String... extraHeaders) throws Exception {
            socket = new java.net.Socket(uri.getHost(), uri.getPort());
            StringBuilder request = new StringBuilder("GET " + uri.getPath() + " HTTP/1.1\r\nHost: localhost\r\n");
            for (String h : extraHeaders) {
                request.append(h).append("\r\n");
            }
            socket.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                headers.add(line);
            }
            thread = new Thread(() -> {
                StringBuilder frame = new StringBuilder();
                try {
                    String l;
                    while ((l = in.readLine()) != null) {
                        if (l.matches("[0-9a-fA-F]+")) {
                            continue; // chunk sizes
                        }
                        if (l.isEmpty()) {
                            if (frame.length() > 0) {
                                frames.add(frame.toString());
                                frame.setLength(0);
                            }
                        } else {
                            frame.append(l).append('\n');
                        }
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String status() {
            return headers.get(0);
        }

        String header(String name) {
            return headers.stream()
                    .filter(h -> h.toLowerCase().startsWith(name.toLowerCase() + ":"))
                    .map(h -> h.substring(name.length() + 1).trim())
                    .findFirst()
                    .orElse("");
        }

        String next(Duration wait) throws InterruptedException {
            String f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(f).as("an event within " + wait).isNotNull();
            return f;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void theEventStreamSendsTheSnapshotThenEachChangeAndHeartbeats() throws Exception {
        start(Optional.empty(), 4, Duration.ofMillis(300));
        try (EventReader events = new EventReader(uri("/events"))) {
            assertThat(events.status()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(events.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(events.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(events.next(Duration.ofSeconds(5))).isEqualTo("retry: 3000\n");
            String first = events.next(Duration.ofSeconds(5));
            assertThat(first)
                    .startsWith("event: apps\ndata: [{\"app\":\"hello\"")
                    .endsWith("}]\n");
            assertThat(first.lines()).hasSize(2);

            String heartbeat = events.next(Duration.ofSeconds(5));
            assertThat(heartbeat).isEqualTo(": keepalive\n");

            page.listener().commitApplied("hello", revision(V2, "a new commit"));
            String update = nextEvent(events);
            assertThat(update).startsWith("event: apps\n").contains("\"subject\":\"a new commit\"");

            cluster.edit(DEPLOYMENT, d -> ((Map<String, Object>) d.get("status")).put("readyReplicas", 3));
            assertThat(nextEvent(events))
                    .as("a rollout's progress in the watch cache is pushed")
                    .contains("\"ready\":3");
        }
    }

    @Test
    void nothingIsSentWhenNothingChanged() throws Exception {
        start(Optional.empty(), 4, Duration.ofMillis(200));
        try (EventReader events = new EventReader(uri("/events"))) {
            events.next(Duration.ofSeconds(5));
            events.next(Duration.ofSeconds(5)); // the snapshot
            page.listener().statusChanged("hello", status.get());
            page.listener().statusChanged("hello", status.get());
            // the first push after connecting may repeat the snapshot (it was never pushed before); none after that
            List<String> frames = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                frames.add(events.next(Duration.ofSeconds(5)));
            }
            page.listener().statusChanged("hello", status.get());
            for (int i = 0; i < 3; i++) {
                frames.add(events.next(Duration.ofSeconds(5)));
            }
            assertThat(frames.stream().filter(f -> f.startsWith("event: apps")).count())
                    .isLessThanOrEqualTo(1);
        }
    }

    private static String nextEvent(EventReader events) throws InterruptedException {
        while (true) {
            String f = events.next(Duration.ofSeconds(5));
            if (!f.startsWith(":")) {
                return f;
            }
        }
    }

    @Test
    void eventStreamsAreBoundedAndNeverStarveTheOtherEndpoints() throws Exception {
        // a stream whose client left is noticed at the next write: here the heartbeat, every 300 ms
        start(Optional.empty(), 2, Duration.ofMillis(300));
        try (EventReader one = new EventReader(uri("/events"));
                EventReader two = new EventReader(uri("/events"))) {
            assertThat(one.status()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(two.status()).isEqualTo("HTTP/1.1 200 OK");

            HttpResponse<String> third = get("/events");
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).hasValue("10");
            for (int i = 0; i < 10; i++) { // more requests than the server's usual threads
                assertThat(get("/healthz").statusCode()).isEqualTo(200);
                assertThat(get("/metrics").statusCode()).isEqualTo(200);
                assertThat(get("/api/apps").statusCode()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (EventReader again = new EventReader(uri("/events"))) {
                assertThat(again.status()).as("a closed stream frees its slot").isEqualTo("HTTP/1.1 200 OK");
            }
        });
    }

    @Test
    void aFrameSplitsLineBreaksIntoDataLines() {
        assertThat(EventStream.frame("apps", "a\nb")).isEqualTo("event: apps\ndata: a\ndata: b\n\n");
    }

    // ---- the token ----

    @Test
    void theTokenGuardsThePageItsFeedsAndEventsButNotTheOtherEndpoints() throws Exception {
        start(Optional.of(UiToken.of("let-me-in")), 4, Duration.ofSeconds(15));

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("<form", "name=\"token\"").doesNotContain("hello-app");
        assertThat(get("/api/apps").statusCode()).isEqualTo(401);
        assertThat(get("/api/apps/hello/history/hello/hello-app").statusCode()).isEqualTo(401);
        assertThat(get("/events").statusCode()).isEqualTo(401);
        assertThat(get("/api/apps", "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        assertThat(get("/api/apps", "Cookie", UiToken.COOKIE + "=let-me-in").statusCode())
                .as("the cookie holds a session value, not the token")
                .isEqualTo(401);

        assertThat(get("/api/apps", "Authorization", "Bearer let-me-in").statusCode())
                .isEqualTo(200);
        assertThat(get("/", "Authorization", "Bearer let-me-in").body()).contains("assets/app.js");
        try (EventReader events = new EventReader(uri("/events"), "Authorization: Bearer let-me-in")) {
            assertThat(events.status()).isEqualTo("HTTP/1.1 200 OK");
        }
        // their own rules, unchanged
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        assertThat(http.send(
                                HttpRequest.newBuilder(uri("/webhook"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .header("Authorization", "Bearer let-me-in")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("the page's token is not the webhook's")
                .isEqualTo(401);
        assertThat(get("/assets/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void signingInSetsASessionCookieThatOpensThePage() throws Exception {
        start(Optional.of(UiToken.of("let-me-in")), 4, Duration.ofSeconds(15));

        HttpResponse<String> wrong = post("/login", "token=nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not the right one").doesNotContain("nope");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = post("/login", "token=let-me-in");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue(".");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith(UiToken.COOKIE + "=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("let-me-in");
        String session = cookie.substring(0, cookie.indexOf(';'));

        assertThat(get("/", "Cookie", session).body()).contains("assets/app.js");
        assertThat(get("/api/apps", "Cookie", "other=1; " + session).statusCode())
                .isEqualTo(200);
        assertThat(UiToken.of("another token").sessionCookie()).doesNotStartWith(session);
        assertThat(get("/login").statusCode()).isEqualTo(405);
    }

    @Test
    void aMalformedOrOversizedSignInFormIsRefusedWithoutDetails() throws Exception {
        start(Optional.of(UiToken.of("let-me-in")), 4, Duration.ofSeconds(15));

        for (String form : List.of("token=%zz", "token=let-me-in%", "token=%4")) {
            HttpResponse<String> bad = post("/login", form);
            assertThat(bad.statusCode()).as(form).isEqualTo(400);
            assertThat(bad.body())
                    .as(form)
                    .isEqualTo("{\"error\":\"the form is not valid URL-encoded data\"}")
                    .doesNotContain("Exception", "at java.");
            assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> big = post("/login", "token=let-me-in&pad=" + "x".repeat(5000));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(post("/login", "token=let-me-in").statusCode())
                .as("still signs in")
                .isEqualTo(303);
    }

    @Test
    void withATokenFileStatusAndTheFeedsNeedItButTheProbesAndMetricsDoNot(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("ui-token");
        java.nio.file.Files.writeString(file, "let-me-in\n");
        start(Optional.of(UiToken.read(file)), 4, Duration.ofSeconds(15));

        for (String path : List.of("/status", "/status/hello", "/api/apps", "/api/apps/hello")) {
            HttpResponse<String> anonymous = get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                    .as(path)
                    .isPresent();
            assertThat(anonymous.body()).as(path).doesNotContain("hello-app", REVERT);
            assertThat(get(path, "Authorization", "Bearer wrong").statusCode())
                    .as(path)
                    .isEqualTo(401);
            assertThat(get(path, "Authorization", "Bearer let-me-in").statusCode())
                    .as(path)
                    .isEqualTo(200);
        }
        HttpResponse<String> signedIn = post("/login", "token=let-me-in");
        String session = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(get("/status", "Cookie", session.substring(0, session.indexOf(';')))
                        .body())
                .contains("\"app\":\"hello\"");

        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenThereIsNoSignIn() throws Exception {
        start();
        assertThat(post("/login", "token=x").statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenFileLosesItsTrailingNewlineAndNeverShowsInToString(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "abc123\n");
        UiToken token = UiToken.read(file);
        assertThat(token.matches("abc123")).isTrue();
        assertThat(token.matches("abc123\n")).isFalse();
        assertThat(token.matches("abc12")).isFalse();
        assertThat(token.toString()).doesNotContain("abc123");
        java.nio.file.Files.writeString(file, "\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UiToken.read(file))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
