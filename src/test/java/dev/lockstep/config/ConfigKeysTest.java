package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ConfigKeys is the one list of the format: the loader refuses every other key, naming the listed ones. */
class ConfigKeysTest {
    @Test
    void anUnknownKeyIsRefusedNamingTheListedKeys() {
        assertThatThrownBy(() -> new ConfigLoader().parse("lockstep.yaml", """
                        http: {prot: 8080}
                        apps:
                          - name: hello
                            repo: {url: "https://git.example.com/acme/deploy.git"}
                            namespace: hello
                        """, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e -> assertThat(((ConfigException) e).problems())
                                .containsExactly(
                                        "http.prot: unknown field (allowed: port, webhookSecretFile, uiTokenFile, externalUrl)"));
    }

    @Test
    void listItemsShareTheirSection() {
        assertThat(ConfigKeys.of("apps[12].verify")).isEqualTo(ConfigKeys.SECTIONS.get("apps[].verify"));
    }

    @Test
    void aMappingThatIsNotListedIsALoaderBug() {
        assertThatThrownBy(() -> ConfigKeys.of("apps[0].proxy"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("configuration mapping 'apps[0].proxy' is not listed in ConfigKeys");
    }
}
