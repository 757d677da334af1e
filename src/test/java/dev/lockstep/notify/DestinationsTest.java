package dev.lockstep.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.testing.HttpReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each destination against a local receiver playing its API: what arrives (path, method, headers, body). */
class DestinationsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpReceiver receiver = new HttpReceiver();
    private final Sender sender = new Sender(
            new Sender.Policy(3, Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5)), d -> {});

    @AfterEach
    void close() {
        receiver.close();
    }

    private HttpReceiver.Received deliver(Destination d, NotificationEvent event) throws Exception {
        Outgoing out = d.request(Notices.of(event)).orElseThrow();
        assertThat(sender.send(out).delivered()).isTrue();
        assertThat(receiver.received()).hasSize(1);
        HttpReceiver.Received r = receiver.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        return r;
    }

    @Test
    void webhookPostsFluxsEventShapeSignedWithHmac() throws Exception {
        HttpReceiver.Received r = deliver(
                new Webhook(receiver.url("/hooks/lockstep"), Optional.of("s3cret")), NotificationEvent.ROLLOUT_FAILED);

        assertThat(r.path()).isEqualTo("/hooks/lockstep");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("involvedObject").get("kind").asString()).isEqualTo("Deployment");
        assertThat(body.get("involvedObject").get("namespace").asString()).isEqualTo("shop");
        assertThat(body.get("involvedObject").get("name").asString()).isEqualTo("web");
        assertThat(body.get("severity").asString()).isEqualTo("error");
        assertThat(body.get("reason").asString()).isEqualTo("rollout-failed");
        assertThat(body.get("message").asString()).contains("progress deadline exceeded");
        assertThat(body.get("reportingController").asString()).isEqualTo("lockstep");
        assertThat(body.get("timestamp").asString()).isEqualTo("2026-12-06T18:00:00Z");
        JsonNode metadata = body.get("metadata");
        assertThat(metadata.get("revision").asString()).isEqualTo("main@sha1:" + Notices.SHA);
        assertThat(metadata.get("app").asString()).isEqualTo("shop");
        assertThat(metadata.get("commit").asString()).isEqualTo(Notices.SHA);
        assertThat(metadata.get("subject").asString()).isEqualTo("v3: bump image");

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected =
                "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(r.header("X-Signature")).isEqualTo(expected);
    }

    @Test
    void webhookWithoutSecretIsNotSignedAndAnAppEventNamesTheApp() throws Exception {
        Notice n = Notices.of(NotificationEvent.REFUSED);
        Notice onApp = new Notice(
                n.app(), n.event(), n.branch(), n.commit(), n.subject(), Optional.empty(), 0, "invalid", n.at());
        Outgoing out =
                new Webhook(receiver.url("/h"), Optional.empty()).request(onApp).orElseThrow();
        assertThat(sender.send(out).delivered()).isTrue();

        HttpReceiver.Received r = receiver.received().get(0);
        assertThat(r.header("X-Signature")).isNull();
        JsonNode involved = JSON.readTree(r.body()).get("involvedObject");
        assertThat(involved.get("kind").asString()).isEqualTo("App");
        assertThat(involved.get("name").asString()).isEqualTo("shop");
    }

    @Test
    void slackMessageNamesAppCommitWorkloadRevisionAndLinksTheStatusPage() throws Exception {
        HttpReceiver.Received r = deliver(
                new Slack(receiver.url("/services/T000/B000/XXXX"), Optional.of("https://lockstep.example.com")),
                NotificationEvent.ROLLOUT_FAILED);

        assertThat(r.path()).isEqualTo("/services/T000/B000/XXXX");
        String text = JSON.readTree(r.body()).get("text").asString();
        assertThat(text)
                .contains("*shop*", "rollout-failed", "`3f2a9c1`", "\"v3: bump image\"")
                .contains("Deployment shop/web revision 3")
                .contains("progress deadline exceeded")
                .contains("<https://lockstep.example.com/|status page>");
    }

    @Test
    void githubStatusOnTheCommitWithBearerToken() throws Exception {
        CommitStatus github = new CommitStatus(
                Forge.GITHUB,
                receiver.url("/api/v3/").toString(),
                "ghp_token",
                app -> "acme/deploy",
                Optional.of("https://lockstep.example.com"));

        HttpReceiver.Received r = deliver(github, NotificationEvent.APPLIED);

        assertThat(r.path()).isEqualTo("/api/v3/repos/acme/deploy/statuses/" + Notices.SHA);
        assertThat(r.header("Authorization")).isEqualTo("Bearer ghp_token");
        assertThat(r.header("Accept")).isEqualTo("application/vnd.github+json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("state").asString()).isEqualTo("pending");
        assertThat(body.get("context").asString()).isEqualTo("lockstep/shop");
        assertThat(body.get("target_url").asString()).isEqualTo("https://lockstep.example.com/");
        assertThat(body.get("description").asString()).isNotEmpty();
    }

    @Test
    void githubStatesPerEventAndNoneForRevertedOrPruneHeld() {
        CommitStatus github =
                new CommitStatus(Forge.GITHUB, "https://api.github.com", "t", app -> "acme/deploy", Optional.empty());
        assertThat(state(github, NotificationEvent.HEALTHY)).isEqualTo("success");
        assertThat(state(github, NotificationEvent.ROLLOUT_FAILED)).isEqualTo("failure");
        assertThat(state(github, NotificationEvent.REFUSED)).isEqualTo("error");
        assertThat(github.request(Notices.of(NotificationEvent.REVERTED))).isEmpty();
        assertThat(github.request(Notices.of(NotificationEvent.PRUNE_HELD))).isEmpty();
        assertThat(github.request(Notices.of(NotificationEvent.MANUAL_ROLLBACK)))
                .isEmpty();
    }

    @Test
    void aRefusalsDescriptionIsCutToTheApisLimit() {
        Notice n = Notices.of(NotificationEvent.REFUSED);
        Notice longWhy = new Notice(
                n.app(), n.event(), n.branch(), n.commit(), n.subject(), n.workload(), 0, "x".repeat(500), n.at());
        CommitStatus github = new CommitStatus(Forge.GITHUB, "https://h", "t", app -> "a/b", Optional.empty());
        CommitStatus gitlab = new CommitStatus(Forge.GITLAB, "https://h", "t", app -> "a/b", Optional.empty());
        assertThat(JSON.readTree(github.request(longWhy).orElseThrow().body())
                        .get("description")
                        .asString())
                .hasSize(140)
                .endsWith("…");
        assertThat(JSON.readTree(gitlab.request(longWhy).orElseThrow().body())
                        .get("description")
                        .asString())
                .hasSize(255);
    }

    @Test
    void gitlabStatusUsesTheEncodedProjectPathPrivateTokenAndItsStateNames() throws Exception {
        CommitStatus gitlab = new CommitStatus(
                Forge.GITLAB, receiver.url("").toString(), "glpat", app -> "group/sub/deploy", Optional.empty());

        HttpReceiver.Received r = deliver(gitlab, NotificationEvent.APPLIED);

        assertThat(r.rawPath()).isEqualTo("/api/v4/projects/group%2Fsub%2Fdeploy/statuses/" + Notices.SHA);
        assertThat(r.header("PRIVATE-TOKEN")).isEqualTo("glpat");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("state").asString()).isEqualTo("running");
        assertThat(body.get("name").asString()).isEqualTo("lockstep/shop");
        assertThat(state(gitlab, NotificationEvent.ROLLOUT_FAILED)).isEqualTo("failed");
        assertThat(state(gitlab, NotificationEvent.REFUSED)).isEqualTo("failed");
    }

    @Test
    void giteaStatusWithTokenHeader() throws Exception {
        CommitStatus gitea = new CommitStatus(
                Forge.GITEA, receiver.url("").toString(), "gt", app -> "acme/deploy", Optional.empty());

        HttpReceiver.Received r = deliver(gitea, NotificationEvent.HEALTHY);

        assertThat(r.path()).isEqualTo("/api/v1/repos/acme/deploy/statuses/" + Notices.SHA);
        assertThat(r.header("Authorization")).isEqualTo("token gt");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("state").asString()).isEqualTo("success");
        assertThat(body.get("context").asString()).isEqualTo("lockstep/shop");
    }

    private static String state(CommitStatus d, NotificationEvent event) {
        return JSON.readTree(d.request(Notices.of(event)).orElseThrow().body())
                .get("state")
                .asString();
    }
}
