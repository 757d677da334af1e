package dev.lockstep.config;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.SecretSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void readsAnAppWithDefaults() throws Exception {
        LockstepConfig config = loader.parse("lockstep.yaml", """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git", tokenFile: token}
                    path: apps/hello
                    namespace: hello
                """, Path.of("/etc/lockstep"));

        AppSpec app = config.apps().get(0);
        assertThat(app.name()).isEqualTo("hello");
        assertThat(app.repo().branch()).isEqualTo("main");
        assertThat(app.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(app.prune()).isTrue();
        assertThat(app.selfHeal()).isTrue();
        assertThat(app.maxPruneShare()).isEqualTo(0.5);
        assertThat(app.repo().credentials().toString()).contains("/etc/lockstep/token");
        assertThat(config.stateNamespace()).isEqualTo("lockstep-system");
    }

    @Test
    void theStatusPageTokenFileIsOptionalAndReadRelativeToTheConfig() throws Exception {
        String apps = """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    path: apps/hello
                    namespace: hello
                """;
        assertThat(loader.parse("lockstep.yaml", apps, Path.of("/etc/lockstep")).uiTokenFile())
                .isEmpty();

        LockstepConfig config = loader.parse(
                "lockstep.yaml", "http: {port: 9090, uiTokenFile: ui/token}\n" + apps, Path.of("/etc/lockstep"));

        assertThat(config.uiTokenFile()).hasValue(Path.of("/etc/lockstep/ui/token"));
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", "http: {uiToken: x}\n" + apps, Path.of("/etc/lockstep")))
                .hasMessageContaining("http.uiToken");
    }

    @Test
    void shardingIsOffUnlessSwitchedOnAtTheTopLevel() throws Exception {
        String apps = """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: hello
                """;
        assertThat(loader.parse("lockstep.yaml", apps, null).sharding()).isFalse();
        assertThat(loader.parse("lockstep.yaml", "sharding: true\n" + apps, null)
                        .sharding())
                .isTrue();
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", "sharding: yes please\n" + apps, null))
                .hasMessageContaining("sharding: must be true or false");
    }

    @Test
    void adoptFieldManagersAddsToTheDefaultsAndRefusesLockstepItself() throws Exception {
        String app = """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: hello
                """;
        assertThat(loader.parse("lockstep.yaml", app, null).apps().get(0).adoptFieldManagers())
                .isEmpty();
        assertThat(loader.parse("lockstep.yaml", app + "    adoptFieldManagers: [argocd-controller]\n", null)
                        .apps()
                        .get(0)
                        .adoptFieldManagers())
                .containsExactly("argocd-controller");
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", app + "    adoptFieldManagers: [lockstep]\n", null))
                .hasMessageContaining(
                        "apps[0].adoptFieldManagers: names other field managers (not empty, not lockstep itself)");
    }

    @Test
    void namesEveryBadField() {
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", """
                apps:
                  - name: Hello_App
                    repo: {url: "https://user:hunter2@git.example.com/x.git"}
                    namespace: hello
                    interval: 3 minutes
                    maxPruneShare: 2
                    intreval: 5s
                  - repo: {url: "ftp://x"}
                """, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactlyInAnyOrder(
                                "apps[0].name: 'Hello_App' must be a lowercase DNS label of at most 40 characters (it names a ConfigMap)",
                                "apps[0].repo.url: must not contain a password; use passwordFile, passwordEnv, tokenFile or tokenEnv",
                                "apps[0].interval: \"3 minutes\" is not a duration (use e.g. 500ms, 30s, 5m, 1h)",
                                "apps[0].maxPruneShare: must be a number from 0 to 1 (a share, e.g. 0.5)",
                                "apps[0].intreval: unknown field (allowed: name, repo, path, namespace, interval, prune, selfHeal, "
                                        + "allowedNamespaces, allowedClusterKinds, maxPruneShare, allowMassPrune, writeBack, onFailedRollout, onManualRollback, "
                                        + "serviceAccountName, serviceAccountNamespace, verify, allowHistoryRewrite, adoptFieldManagers, render, allowRemoteBases, decrypt)",
                                "apps[1].name: required",
                                "apps[1].repo.url: must start with https://, ssh://, git@ or file://",
                                "apps[1].namespace: required"))
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("hunter2")
                        .startsWith("lockstep.yaml: invalid configuration"));
    }

    @Test
    void readsVerifyAndHistoryRewriteSettings() throws Exception {
        LockstepConfig config = loader.parse("lockstep.yaml", """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: hello
                    allowHistoryRewrite: true
                    verify:
                      mode: strict
                      allowedSignersFile: git/allowed_signers
                      openpgpKeysFile: /etc/keys/trusted.asc
                      since: 0123456789ABCDEF0123456789abcdef01234567
                  - name: plain
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: plain
                """, Path.of("/etc/lockstep"));

        TrustSpec trust = config.apps().get(0).trust();
        assertThat(trust.allowHistoryRewrite()).isTrue();
        assertThat(trust.verify())
                .isEqualTo(new VerifySpec(
                        VerifyMode.STRICT,
                        java.util.Optional.of(Path.of("/etc/lockstep/git/allowed_signers")),
                        java.util.Optional.of(Path.of("/etc/keys/trusted.asc")),
                        java.util.Optional.of("0123456789abcdef0123456789abcdef01234567")));
        assertThat(config.apps().get(1).trust()).isEqualTo(TrustSpec.DEFAULT);
    }

    @Test
    void verifyNamesEachBadFieldAndUnknownOnes() {
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: hello
                    allowHistoryRewrite: sometimes
                    verify: {mode: always, allowedSigners: x}
                  - name: nokeys
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: nokeys
                    verify: {mode: head, since: abc}
                """, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactlyInAnyOrder(
                                "apps[0].verify.mode: 'always' is not one of off, head, strict",
                                "apps[0].verify.allowedSigners: unknown field (allowed: mode, allowedSignersFile, "
                                        + "openpgpKeysFile, since)",
                                "apps[0].allowHistoryRewrite: must be true or false",
                                "apps[1].verify.mode: head needs trusted keys: set allowedSignersFile, openpgpKeysFile or both",
                                "apps[1].verify.since: 'abc' must be a full 40-hex commit id",
                                "apps[1].verify.since: only applies with mode: strict"));
    }

    @Test
    void rejectsDuplicateKeysAndDuplicateApps() {
        assertThatThrownBy(() -> loader.parse("c.yaml", "apps: []\napps: []\n", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key apps");
        assertThatThrownBy(() -> loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: a, repo: {url: "file:///r"}}
                  - {name: a, namespace: b, repo: {url: "file:///r"}}
                """, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("apps[1].name: duplicate app name 'a'");
    }

    @Test
    void sshNeedsKnownHosts() {
        assertThatThrownBy(() -> loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: a, repo: {url: "ssh://git@example.com/r.git", sshKeyFile: /k}}
                """, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("apps[0].repo.sshKeyFile: ssh needs both sshKeyFile and knownHostsFile");
    }

    @Test
    void aCaFileIsReadForThatHttpsRepositoryAndRefusedForOtherSchemes() throws Exception {
        LockstepConfig config = loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: a, repo: {url: "https://git.corp.example/r.git", caFile: git/ca.crt}}
                """, Path.of("/etc/lockstep"));
        assertThat(config.apps().get(0).repo().caFile()).contains(Path.of("/etc/lockstep/git/ca.crt"));

        assertThatThrownBy(() -> loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: a, repo: {url: "file:///srv/r.git", caFile: /ca.crt}}
                """, null))
                .hasMessageContaining("apps[0].repo.caFile: only applies to https:// urls");
        assertThatThrownBy(() -> loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: a, repo: {url: "https://git.corp.example/r.git", caFiles: /ca.crt}}
                """, null)).hasMessageContaining("apps[0].repo.caFiles");
    }

    @Test
    void aServiceAccountDefaultsToTheAppsNamespace() throws Exception {
        LockstepConfig config = loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: shop, repo: {url: "https://g/r.git"}, serviceAccountName: deployer}
                  - {name: b, namespace: shop, repo: {url: "https://g/r.git"}, serviceAccountName: deployer,
                     serviceAccountNamespace: tenants}
                  - {name: c, namespace: shop, repo: {url: "https://g/r.git"}}
                """, null);

        assertThat(config.apps().get(0).serviceAccount())
                .contains(new dev.lockstep.model.ServiceAccountRef("shop", "deployer"));
        assertThat(config.apps().get(1).serviceAccount().orElseThrow().username())
                .isEqualTo("system:serviceaccount:tenants:deployer");
        assertThat(config.apps().get(2).serviceAccount()).isEmpty();
        assertThatThrownBy(() -> loader.parse("c.yaml", """
                apps:
                  - {name: a, namespace: shop, repo: {url: "https://g/r.git"}, serviceAccountNamespace: x}
                  - {name: b, namespace: shop, repo: {url: "https://g/r.git"}, serviceAccountName: "Not Valid"}
                  - {name: c, namespace: shop, repo: {url: "https://g/r.git"}, serviceAcount: typo}
                """, null))
                .hasMessageContaining("apps[0].serviceAccountNamespace: needs serviceAccountName")
                .hasMessageContaining("apps[1].serviceAccountName: 'Not Valid' is not a valid ServiceAccount name")
                .hasMessageContaining("apps[2].serviceAcount");
    }

    @Test
    void aTokenAndAPasswordTogetherAreRefusedNamingThePasswordField() {
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", """
                apps:
                  - name: a
                    namespace: a
                    repo: {url: "https://git.example.com/x.git", username: alice, tokenFile: t, passwordFile: p}
                  - name: b
                    namespace: b
                    repo: {url: "https://git.example.com/x.git", username: bob, tokenEnv: T, passwordEnv: P}
                """, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly(
                                "apps[0].repo.passwordFile: set either a token (tokenFile/tokenEnv) or a password "
                                        + "(passwordFile/passwordEnv), not both",
                                "apps[1].repo.passwordEnv: set either a token (tokenFile/tokenEnv) or a password "
                                        + "(passwordFile/passwordEnv), not both"));
    }

    @Test
    void aUsernameWithATokenSendsTheTokenAsThatUsersPassword() throws Exception {
        // GitLab wants "oauth2", Bitbucket "x-token-auth": the username replaces the default x-access-token
        LockstepConfig config = loader.parse("lockstep.yaml", """
                apps:
                  - name: a
                    namespace: a
                    repo: {url: "https://gitlab.example.com/x.git", username: oauth2, tokenEnv: GITLAB_TOKEN}
                """, null);

        GitCredentials credentials = config.apps().get(0).repo().credentials();
        assertThat(credentials.username()).hasValue("oauth2");
        assertThat(credentials.secret()).hasValue(SecretSource.env("GITLAB_TOKEN"));
    }

    @Test
    void invalidYamlNamesLineAndColumnButNeverEchoesTheSourceLine() {
        String sameLine = """
                apps:
                  - name: hello
                    repo:
                      url: https://user:s3cret@git.example.com/x.git: oops
                """;
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", sameLine, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("lockstep.yaml:4:53: not valid YAML: mapping values are not allowed here"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));

        String nextLine = """
                apps:
                  - name: hello
                    repo:
                      url: "https://user:s3cret@git.example.com/x.git
                      branch: main
                """;
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", nextLine, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .singleElement(as(STRING))
                        .startsWith("lockstep.yaml:6:1: not valid YAML: while scanning a quoted scalar")
                        .doesNotContain("s3cret"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void valuesThatFailToConstructAreNotEchoedEither() {
        // SnakeYAML says "Unexpected timestamp: <value>" without a mark, and "!!int" throws NumberFormatException
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", "apps: !!timestamp s3cret\n", null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("lockstep.yaml: not valid YAML (YAMLException)"));
        assertThatThrownBy(() -> loader.parse("lockstep.yaml", "apps: !!int s3cret\n", null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("lockstep.yaml: not valid YAML (NumberFormatException)"));
    }

    @Test
    void theRenderBlockIsReadWithDefaultsAndEachBadFieldNamed() throws Exception {
        LockstepConfig config = loader.parse("lockstep.yaml", """
                apps:
                  - name: shop
                    repo: {url: "https://git.example.com/deploy.git"}
                    path: deploy/overlays/production
                    namespace: shop
                    allowRemoteBases: true
                    render:
                      engine: kustomize
                      kustomize: {command: [kustomize, build], timeout: 90s}
                      helm:
                        releaseName: web
                        valuesFiles: [../../env/prod/web-values.yaml, extra.yaml]
                        values: {replicaCount: 3}
                        skipCRDs: true
                  - name: plain
                    repo: {url: "https://git.example.com/deploy.git"}
                    namespace: plain
                """, null);
        var shop = config.apps().get(0).render();
        assertThat(shop.engine()).isEqualTo(dev.lockstep.render.RenderEngine.KUSTOMIZE);
        assertThat(shop.allowRemoteBases()).isTrue();
        assertThat(shop.kustomize().command()).contains(List.of("kustomize", "build"));
        assertThat(shop.kustomize().timeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(shop.helm().releaseName()).contains("web");
        assertThat(shop.helm().valuesFiles()).containsExactly("../../env/prod/web-values.yaml", "extra.yaml");
        assertThat(shop.helm().values()).containsEntry("replicaCount", 3);
        assertThat(shop.helm().skipCRDs()).isTrue();
        assertThat(config.apps().get(1).render()).isEqualTo(dev.lockstep.render.RenderSpec.DEFAULT);

        assertThatThrownBy(() -> loader.parse("lockstep.yaml", """
                apps:
                  - name: shop
                    repo: {url: "https://git.example.com/deploy.git"}
                    namespace: shop
                    render:
                      engine: jsonnet
                      kustomize: {command: [kustomize, build, --enable-helm, "--load-restrictor=LoadRestrictionsNone"], timeot: 1s}
                      helm: {releaseName: Web_1}
                """, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactlyInAnyOrder(
                                "apps[0].render.engine: 'jsonnet' is not one of auto, plain, kustomize, helm",
                                "apps[0].render.kustomize.command: '--enable-helm' is not allowed: Lockstep never lets"
                                        + " kustomize run plugins, exec functions or Helm, mount or reach files outside"
                                        + " the kustomization",
                                "apps[0].render.kustomize.command: '--load-restrictor=LoadRestrictionsNone' is not"
                                        + " allowed: Lockstep never lets kustomize run plugins, exec functions or Helm,"
                                        + " mount or reach files outside the kustomization",
                                "apps[0].render.kustomize.timeot: unknown field (allowed: command, timeout)",
                                "apps[0].render.helm.releaseName: 'Web_1' must be a lowercase DNS label of at most 53"
                                        + " characters"));
    }
}
