package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file the config names is read when it is loaded: one that is missing, empty or unreadable exits 2 naming the
 * field and the path, before any cluster is contacted (the kubeconfig points at a closed port: reaching it would exit
 * 4), instead of failing at the first fetch or request that needs it.
 */
class NamedFilesCliTest {
    private static final String TOKEN_VALUE = "never-printed-t0ken";

    @TempDir
    Path tmp;

    /** A config naming every kind of file, each present and readable except the one {@code broken} names. */
    private Path config(String http, String repo, String app) throws Exception {
        for (String f : new String[] {"token", "password", "webhook", "ui", "key", "known_hosts", "ca.crt"}) {
            Files.writeString(tmp.resolve(f), TOKEN_VALUE + "\n");
        }
        for (String f : new String[] {"signing_key", "allowed_signers", "trusted.asc"}) {
            Files.writeString(tmp.resolve(f), "key material\n");
        }
        return Files.writeString(tmp.resolve("lockstep.yaml"), """
                http: {%s}
                apps:
                  - name: hello
                    namespace: hello
                    repo: {%s}
                    %s
                """.formatted(http, repo, app));
    }

    private Path kubeconfig() throws Exception {
        return Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: closed, cluster: {server: "https://127.0.0.1:1"}}]
                contexts: [{name: closed, context: {cluster: closed, user: nobody}}]
                users: [{name: nobody, user: {token: x}}]
                current-context: closed
                """);
    }

    private static final String HTTPS = "url: \"https://git.example.com/r.git\"";
    private static final String SSH = "url: \"ssh://git@git.example.com/r.git\"";

    static Stream<Arguments> broken() {
        String writeBack = "writeBack: {author: \"Lockstep <lockstep@example.com>\", signingKeyFile: %s}";
        String verify = "verify: {mode: head, %s: %s}";
        return Stream.of(
                Arguments.of("http.webhookSecretFile", "webhookSecretFile: %s", HTTPS, ""),
                Arguments.of("http.uiTokenFile", "uiTokenFile: %s", HTTPS, ""),
                Arguments.of("apps[0].repo.tokenFile", "", HTTPS + ", tokenFile: %s", ""),
                Arguments.of("apps[0].repo.passwordFile", "", HTTPS + ", username: ada, passwordFile: %s", ""),
                Arguments.of("apps[0].repo.sshKeyFile", "", SSH + ", sshKeyFile: %s, knownHostsFile: known_hosts", ""),
                Arguments.of("apps[0].repo.knownHostsFile", "", SSH + ", sshKeyFile: key, knownHostsFile: %s", ""),
                Arguments.of("apps[0].repo.caFile", "", HTTPS + ", caFile: %s", ""),
                Arguments.of("apps[0].writeBack.signingKeyFile", "", HTTPS, writeBack),
                Arguments.of(
                        "apps[0].verify.allowedSignersFile", "", HTTPS, verify.formatted("allowedSignersFile", "%s")),
                Arguments.of("apps[0].verify.openpgpKeysFile", "", HTTPS, verify.formatted("openpgpKeysFile", "%s")));
    }

    private CliTest.Result sync(Path config) throws Exception {
        return CliTest.run(
                "sync",
                "--config",
                config.toString(),
                "--kubeconfig",
                kubeconfig().toString());
    }

    @ParameterizedTest(name = "{0} missing")
    @MethodSource("broken")
    void aMissingFileExitsTwoNamingTheFieldAndPath(String field, String http, String repo, String app)
            throws Exception {
        Path missing = tmp.resolve("not-there");
        CliTest.Result r = sync(config(http.formatted(missing), repo.formatted(missing), app.formatted(missing)));

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
                .contains("lockstep.yaml: invalid configuration")
                .contains(field + ": " + missing + ": no such file")
                .doesNotContain(TOKEN_VALUE);
    }

    @ParameterizedTest(name = "{0} empty")
    @MethodSource("broken")
    void anEmptyFileExitsTwoNamingTheFieldAndPath(String field, String http, String repo, String app) throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "");
        CliTest.Result r = sync(config(http.formatted(empty), repo.formatted(empty), app.formatted(empty)));

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains(field + ": " + empty + ": is empty");
    }

    @Test
    void aDirectoryAndAnUnsetVariableAreNamedTogether() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a-dir"));
        String variable = "LOCKSTEP_TEST_UNSET_VARIABLE_7Q";
        assumeFalse(System.getenv().containsKey(variable));
        Path config = Files.writeString(tmp.resolve("lockstep.yaml"), """
                http: {uiTokenFile: %s}
                apps:
                  - name: hello
                    namespace: hello
                    repo: {url: "https://git.example.com/r.git", tokenEnv: %s}
                """.formatted(dir, variable));

        CliTest.Result r = sync(config);

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
                .contains("http.uiTokenFile: " + dir + ": is a directory, not a file")
                .contains("apps[0].repo.tokenEnv: environment variable " + variable + " is not set");
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        Path locked = Files.writeString(tmp.resolve("locked"), "secret\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "this user (root) reads any file");
        Path config = config("webhookSecretFile: locked", HTTPS, "");

        CliTest.Result r = sync(config);

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("http.webhookSecretFile: " + locked + ": cannot be read (permission denied)");
    }

    @Test
    void everyFileReadableLoadsWithPathsRelativeToTheConfig() throws Exception {
        ConfigOptions options = new ConfigOptions();
        options.config = config(
                "webhookSecretFile: webhook, uiTokenFile: ui",
                SSH + ", sshKeyFile: key, knownHostsFile: known_hosts",
                "writeBack: {author: \"Lockstep <lockstep@example.com>\", signingKeyFile: signing_key}\n"
                        + "    verify: {mode: head, allowedSignersFile: allowed_signers, openpgpKeysFile: trusted.asc}");

        assertThat(options.load().uiTokenFile()).hasValue(tmp.resolve("ui"));
    }
}
