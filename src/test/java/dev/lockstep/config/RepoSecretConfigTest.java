package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A token or password is sent only where it is protected and means one thing: never in clear to an http:// url unless
 * {@code repo.insecureHttp: true} says so, never beside an ssh key that would make it ambiguous.
 */
class RepoSecretConfigTest {
    private static final String APP = """
            apps:
              - name: hello
                namespace: hello
                repo: %s
            """;
    private static final String CLEAR = "would be sent in clear to an http:// url; use https://, or set "
            + "repo.insecureHttp: true to send it unencrypted anyway";
    private static final String AMBIGUOUS = "ambiguous with sshKeyFile: set either sshKeyFile and knownHostsFile "
            + "(ssh) or a token or password (https), not both";

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("{url: \"http://git.example.com/r.git\", tokenFile: /t}", "tokenFile: " + CLEAR),
                Arguments.of("{url: \"http://git.example.com/r.git\", tokenEnv: GIT_TOKEN}", "tokenEnv: " + CLEAR),
                Arguments.of(
                        "{url: \"http://git.example.com/r.git\", username: ada, passwordFile: /p}",
                        "passwordFile: " + CLEAR),
                Arguments.of(
                        "{url: \"http://git.example.com/r.git\", username: ada, passwordEnv: GIT_PASSWORD}",
                        "passwordEnv: " + CLEAR),
                Arguments.of(
                        "{url: \"http://git.example.com/r.git\", tokenFile: /t, insecureHttp: false}",
                        "tokenFile: " + CLEAR),
                Arguments.of(
                        "{url: \"ssh://git@example.com/r.git\", sshKeyFile: /k, knownHostsFile: /kh, tokenFile: /t}",
                        "tokenFile: " + AMBIGUOUS),
                Arguments.of(
                        "{url: \"ssh://git@example.com/r.git\", sshKeyFile: /k, knownHostsFile: /kh, "
                                + "passwordEnv: KEY_PASSPHRASE}",
                        "passwordEnv: " + AMBIGUOUS),
                Arguments.of(
                        "{url: \"git@example.com:r.git\", tokenEnv: GIT_TOKEN}",
                        "tokenEnv: is sent only to https:// (or http://) urls; it would be ignored for this url"),
                Arguments.of(
                        "{url: \"https://git.example.com/r.git\", tokenFile: /t, insecureHttp: true}",
                        "insecureHttp: only applies to http:// urls"),
                Arguments.of(
                        "{url: \"http://git.example.com/r.git\", insecureHttp: yes please}",
                        "insecureHttp: must be true or false"));
    }

    static Stream<String> accepted() {
        return Stream.of(
                "{url: \"https://git.example.com/r.git\", tokenFile: /t}",
                "{url: \"https://git.example.com/r.git\", username: ada, passwordEnv: GIT_PASSWORD}",
                "{url: \"http://git.example.com/r.git\", tokenFile: /t, insecureHttp: true}",
                "{url: \"http://git.example.com/r.git\"}",
                "{url: \"ssh://git@example.com/r.git\", sshKeyFile: /k, knownHostsFile: /kh}");
    }

    @ParameterizedTest(name = "repo: {0}")
    @MethodSource("refused")
    void refusedNamingTheField(String repo, String problem) {
        assertThatThrownBy(() -> new ConfigLoader().parse("lockstep.yaml", APP.formatted(repo), null))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems())
                .asList()
                .containsExactly("apps[0].repo." + problem);
    }

    @ParameterizedTest(name = "repo: {0}")
    @MethodSource("accepted")
    void accepted(String repo) throws Exception {
        assertThat(new ConfigLoader()
                        .parse("lockstep.yaml", APP.formatted(repo), null)
                        .apps())
                .hasSize(1);
    }
}
