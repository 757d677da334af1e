package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.model.NotificationEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code notifications:} list and {@code http.externalUrl}: defaults, derived repositories, errors by field. */
class NotificationConfigTest {
    private static final String APPS = """
            apps:
              - name: shop
                repo: {url: "https://github.com/acme/deploy.git"}
                namespace: shop
              - name: billing
                repo: {url: "git@gitlab.example.com:group/sub/billing.git"}
                namespace: billing
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private LockstepConfig parse(String yaml) throws ConfigException {
        return loader.parse("lockstep.yaml", yaml + APPS, Path.of("/etc/lockstep"));
    }

    @Test
    void theIssuesExampleReadsWithItsDefaults() throws Exception {
        LockstepConfig config = parse("""
                http:
                  externalUrl: https://lockstep.example.com
                notifications:
                  - name: team
                    type: slack
                    urlFile: /etc/lockstep/notify/slack-url
                    events: [rollout-failed, reverted, manual-rollback, refused, prune-held]
                    apps: [shop]
                  - name: receiver
                    type: webhook
                    urlFile: notify/hook-url
                    secretFile: notify/hook-secret
                  - name: status
                    type: github
                    tokenFile: /etc/lockstep/notify/github-token
                    baseUrl: https://api.github.com
                    apps: [shop]
                """);

        NotificationSettings n = config.notifications();
        assertThat(n.externalUrl()).hasValue("https://lockstep.example.com");
        assertThat(n.destinations()).extracting(NotificationSpec::name).containsExactly("team", "receiver", "status");
        NotificationSpec team = n.destinations().get(0);
        assertThat(team.type()).isEqualTo(NotificationType.SLACK);
        assertThat(team.events())
                .containsExactlyInAnyOrder(
                        NotificationEvent.ROLLOUT_FAILED,
                        NotificationEvent.REVERTED,
                        NotificationEvent.MANUAL_ROLLBACK,
                        NotificationEvent.REFUSED,
                        NotificationEvent.PRUNE_HELD);
        assertThat(team.apps()).containsExactly("shop");
        NotificationSpec receiver = n.destinations().get(1);
        assertThat(receiver.urlFile()).hasValue(Path.of("/etc/lockstep/notify/hook-url"));
        assertThat(receiver.events())
                .doesNotContain(NotificationEvent.DRIFT_HEALED)
                .hasSize(7);
        assertThat(receiver.apps()).isEmpty();
        assertThat(n.destinations().get(2).repositories())
                .containsExactlyEntriesOf(java.util.Map.of("shop", "acme/deploy"));
    }

    @Test
    void aRepositoryIsDerivedFromHttpsAndSshUrlsOrSetByHand() throws Exception {
        LockstepConfig config = parse("""
                notifications:
                  - {name: gl, type: gitlab, tokenFile: t, baseUrl: "https://gitlab.example.com"}
                  - {name: pinned, type: gitea, tokenFile: t, baseUrl: "https://gitea.example.com", repository: ops/deploy}
                """);
        assertThat(config.notifications().destinations().get(0).repositories())
                .containsEntry("shop", "acme/deploy")
                .containsEntry("billing", "group/sub/billing");
        assertThat(config.notifications().destinations().get(1).repositories())
                .containsEntry("shop", "ops/deploy")
                .containsEntry("billing", "ops/deploy");
        assertThat(HostRepository.of("ssh://git@github.com:22/acme/deploy.git")).hasValue("acme/deploy");
        assertThat(HostRepository.of("https://ghe.example.com/acme/deploy")).hasValue("acme/deploy");
        assertThat(HostRepository.of("file:///tmp/repo")).isEmpty();
        assertThat(HostRepository.of("/srv/git/deploy.git")).isEmpty();
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> parse("""
                        http: {externalUrl: "lockstep.example.com"}
                        notifications:
                          - {name: a, type: teams, urlFile: u}
                          - {name: b, type: webhook, events: [deployed]}
                          - {name: c, type: slack, urlFile: u, tokenFile: t, apps: [nope]}
                          - {name: d, type: gitea, tokenFile: t}
                          - {name: d, type: webhook, urlFile: u, colour: red}
                        """))
                .hasMessageContaining("http.externalUrl: must be an http:// or https:// url")
                .hasMessageContaining(
                        "notifications[0].type: 'teams' is not one of webhook, slack, github, gitlab, gitea")
                .hasMessageContaining("notifications[1].events: 'deployed' is not an event")
                .hasMessageContaining("notifications[1].urlFile: required for type webhook")
                .hasMessageContaining("notifications[2].tokenFile: only applies to type github, gitlab, gitea")
                .hasMessageContaining("notifications[2].apps: no app is named 'nope'")
                .hasMessageContaining("notifications[3].baseUrl: required for type gitea")
                .hasMessageContaining("notifications[4].name: duplicate notification name 'd'")
                .hasMessageContaining("notifications[4].colour: unknown field");
    }

    @Test
    void aGithubDestinationWhoseRepositoryCannotBeDerivedIsAnError() {
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", """
                        notifications:
                          - {name: status, type: github, tokenFile: t}
                        apps:
                          - name: local
                            repo: {url: "file:///srv/git/deploy"}
                            namespace: shop
                        """, Path.of("/etc/lockstep")))
                .hasMessageContaining(
                        "notifications[0].repository: cannot be derived from the repo.url of app 'local'");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheFieldNotItsContent() throws Exception {
        Files.writeString(dir.resolve("hook-url"), "https://hooks.example.com/T000/SECRETPART");
        Path config = dir.resolve("lockstep.yaml");
        Files.writeString(config, """
                notifications:
                  - {name: hook, type: webhook, urlFile: hook-url, secretFile: hook-secret}
                """ + APPS);

        assertThatThrownBy(() -> loader.load(config))
                .hasMessageContaining("notifications[0].secretFile: " + dir.resolve("hook-secret") + ": no such file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRETPART"));

        Files.writeString(dir.resolve("hook-secret"), "s3cret\n");
        assertThat(loader.load(config).notifications().destinations())
                .singleElement()
                .satisfies(n -> assertThat(n.secretFile()).hasValue(dir.resolve("hook-secret")));
    }

    @Test
    void withoutTheListNothingIsSent() throws Exception {
        LockstepConfig config = parse("");
        assertThat(config.notifications().destinations()).isEmpty();
        assertThat(config.notifications().externalUrl()).isEqualTo(Optional.empty());
        assertThat(NotificationEvent.defaults()).doesNotContain(NotificationEvent.DRIFT_HEALED);
        assertThat(Set.of(NotificationEvent.values()))
                .extracting(NotificationEvent::id)
                .containsExactlyInAnyOrder(
                        "applied",
                        "healthy",
                        "rollout-failed",
                        "reverted",
                        "manual-rollback",
                        "refused",
                        "prune-held",
                        "drift-healed");
    }
}
