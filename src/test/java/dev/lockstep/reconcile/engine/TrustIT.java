package dev.lockstep.reconcile.engine;

import static dev.lockstep.testing.HelloApp.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.TrustSpec;
import dev.lockstep.config.VerifyMode;
import dev.lockstep.config.VerifySpec;
import dev.lockstep.model.Revision;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.testing.AppSpecs;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.ObservedEngine;
import dev.lockstep.testing.OpenPgpTestKey;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.SshTestKey;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only verified commits reach the cluster, and a history rewrite is refused: on a real API server, with commits signed
 * by git itself ({@code ssh-keygen} keys) and by an OpenPGP key made here. After each refusal the cluster is unchanged,
 * and the status, an Event, a metric and the log name the commit and why.
 */
@RealCluster
class TrustIT {
    @TempDir
    Path tmp;

    private final ObservedEngine engine = new ObservedEngine();
    private final LogCapture log = new LogCapture("dev.lockstep");

    @AfterEach
    void close() {
        engine.close();
        log.close();
    }

    private AppReconciler start(TestCluster cluster, AppSpec app) {
        return engine.start(cluster, app, tmp.resolve("cache"));
    }

    private static AppSpec verified(GitRepoFixture repo, TestCluster cluster, VerifyMode mode, Path signers, Path pgp) {
        return AppSpecs.withTrust(
                TestApps.hello(repo, cluster.namespace()),
                new TrustSpec(
                        new VerifySpec(mode, Optional.ofNullable(signers), Optional.ofNullable(pgp), Optional.empty()),
                        false));
    }

    private static String value(TestCluster cluster) {
        return cluster.client()
                .configMaps()
                .withName("settings")
                .get()
                .getData()
                .get("value");
    }

    private static List<Event> events(TestCluster cluster, String reason) {
        return cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
                .filter(e -> e.getReason().equals(reason))
                .toList();
    }

    private double refusals(String check) {
        var counter = engine.registry()
                .find("lockstep.commits.refused")
                .tag("check", check)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private Optional<String> refusedCommitGauge() {
        return engine.registry().find("lockstep.refused.commit.info").gauges().stream()
                .map(g -> g.getId().getTag("commit") + " " + g.getId().getTag("check"))
                .findFirst();
    }

    /** What a user sees after a refusal: status, Event on the app's record, metric, log line. */
    private void assertRefused(
            TestCluster cluster, AppReconciler app, String eventReason, String check, String commit, String why) {
        String shortSha = Revision.shortSha(commit);
        assertThat(app.status().health()).isEqualTo(AppHealth.STALLED);
        assertThat(app.status().errors())
                .anySatisfy(e -> assertThat(e).contains(shortSha).contains(why));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(events(cluster, eventReason)).anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("lockstep-app-hello");
                    assertThat(e.getMessage()).contains(commit).contains(why);
                }));
        assertThat(refusals(check)).isGreaterThanOrEqualTo(1);
        assertThat(refusedCommitGauge()).hasValue(commit + " " + check);
        assertThat(log.lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("WARN app hello: commit " + commit + " refused (" + check + " check)")
                        .contains(why));
    }

    @Test
    void aSignedHeadIsAppliedAndAnUnsignedOneRefused(TestCluster cluster) throws Exception {
        SshTestKey key = SshTestKey.create(tmp, "deploy-signer");
        Path signers = Files.writeString(tmp.resolve("allowed_signers"), key.allowedSignersLine("ada@example.com"));
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/settings.yaml", configMap("settings", "v1"));
        String v1 = key.commit(repo, "settings v1");
        AppReconciler app = start(cluster, verified(repo, cluster, VerifyMode.HEAD, signers, null));

        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v1");
        assertThat(app.status().commit()).isEqualTo(v1);

        String unsigned = repo.commit(
                "settings v2, unsigned", java.util.Map.of("app/settings.yaml", configMap("settings", "v2")));
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(value(cluster))
                .as("the cluster stays at the last applied commit")
                .isEqualTo("v1");
        assertThat(app.status().commit()).isEqualTo(v1);
        assertRefused(cluster, app, "CommitNotVerified", "signature", unsigned, "unsigned");
        assertThat(refusedCommitGauge()).hasValue(unsigned + " signature");
        assertThat(app.reconcile())
                .as("the same head again: not retried, not reported twice")
                .isEqualTo(PassOutcome.STALLED);
        assertThat(refusals("signature")).isEqualTo(1);

        repo.write("app/settings.yaml", configMap("settings", "v3"));
        String v3 = key.commit(repo, "settings v3, signed");
        assertThat(app.reconcile()).as("mode head: a signed head is enough").isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v3");
        assertThat(app.status().commit()).isEqualTo(v3);
        assertThat(refusedCommitGauge()).as("gone once a commit is applied").isEmpty();
    }

    @Test
    void strictRefusesASignedHeadOnAnUnsignedCommitUntilATrustedBase(TestCluster cluster) throws Exception {
        OpenPgpTestKey key = OpenPgpTestKey.create("Ada <ada@example.com>");
        Path keys = key.exportTo(tmp.resolve("trusted.asc"));
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/settings.yaml", configMap("settings", "v1"));
        repo.commitSigned("settings v1", key.signer());
        AppReconciler app = start(cluster, verified(repo, cluster, VerifyMode.STRICT, null, keys));
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v1");

        String unsigned =
                repo.commit("v2, unsigned", java.util.Map.of("app/settings.yaml", configMap("settings", "v2")));
        repo.write("app/settings.yaml", configMap("settings", "v3"));
        String head = repo.commitSigned("v3, signed on top", key.signer());
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(value(cluster)).isEqualTo("v1");
        assertThat(app.status().message()).contains(Revision.shortSha(head)).contains("not applied");
        assertRefused(cluster, app, "CommitNotVerified", "signature", unsigned, "unsigned");

        repo.write("app/settings.yaml", configMap("settings", "v4"));
        String base = repo.commitSigned("v4, reviewed the unsigned v2\n\nLockstep-Trust-Base: yes", key.signer());
        assertThat(app.reconcile()).as("a signed trust base vouches for v2").isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v4");
        assertThat(app.status().commit()).isEqualTo(base);
    }

    @Test
    void aForcePushIsRefusedNamingBothCommitsUnlessAllowed(TestCluster cluster) {
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        String v1 = repo.commit("settings v1", java.util.Map.of("app/settings.yaml", configMap("settings", "v1")));
        String v2 = repo.commit("settings v2", java.util.Map.of("app/settings.yaml", configMap("settings", "v2")));
        AppSpec spec = TestApps.hello(repo, cluster.namespace());
        AppReconciler app = start(cluster, spec);
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v2");

        repo.resetHard(v1);
        String rewritten =
                repo.commit("settings v3", java.util.Map.of("app/settings.yaml", configMap("settings", "v3")));
        assertThat(app.reconcile()).isEqualTo(PassOutcome.STALLED);

        assertThat(value(cluster)).isEqualTo("v2");
        assertThat(app.status().commit()).isEqualTo(v2);
        assertRefused(cluster, app, "HistoryRewriteRefused", "history", rewritten, "does not descend");
        assertThat(app.status().errors())
                .anySatisfy(e ->
                        assertThat(e).contains(Revision.shortSha(rewritten)).contains(Revision.shortSha(v2)));

        AppReconciler allowed = start(cluster, AppSpecs.withTrust(spec, new TrustSpec(VerifySpec.OFF, true)));
        assertThat(allowed.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(value(cluster)).isEqualTo("v3");
        assertThat(allowed.status().commit()).isEqualTo(rewritten);
    }
}
