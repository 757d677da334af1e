package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConfigKeys is the one list of the format: unknown keys are refused from it, and the loader cannot read past it. */
class ConfigKeysTest {
    @Test
    void anUnknownKeyIsRefusedNamingTheListedKeysEvenUnread() {
        List<String> problems = new ArrayList<>();
        FieldReader http = new FieldReader("http", Map.of("prot", 8080), problems);

        http.rejectUnknown();

        assertThat(problems)
                .containsExactly("http.prot: unknown field (allowed: port, webhookSecretFile, uiTokenFile)");
    }

    @Test
    void readingAKeyThatIsNotListedIsALoaderBug() {
        FieldReader repo = new FieldReader("apps[3].repo", Map.of(), new ArrayList<>());

        assertThatThrownBy(() -> repo.string("proxyUrl"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("apps[3].repo.proxyUrl is read but not listed in ConfigKeys");
    }

    @Test
    void listItemsShareTheirSection() {
        assertThat(ConfigKeys.of("apps[12].verify")).isEqualTo(ConfigKeys.SECTIONS.get("apps[].verify"));
    }
}
