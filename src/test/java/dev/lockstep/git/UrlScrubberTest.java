package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlScrubberTest {

    @Test
    void masksUserinfoOfEveryUrlInText() {
        assertThat(UrlScrubber.scrub("https://user:token@host/x")).isEqualTo("https://***@host/x");
        assertThat(UrlScrubber.scrub("fetch 'https://a:b@h1/r.git' then ssh://git@h2:22/r and http://tok@h3"))
                .isEqualTo("fetch 'https://***@h1/r.git' then ssh://***@h2:22/r and http://***@h3");
    }

    @Test
    void aPasswordContainingAtOrSlashIsFullyHidden() {
        assertThat(UrlScrubber.scrub("https://u:p@ss/w@host/x"))
                .isEqualTo("https://***@host/x")
                .doesNotContain("ss/w");
    }

    @Test
    void leavesUrlsWithoutCredentialsAlone() {
        String plain = "https://host/org/repo.git: not found; file:///tmp/r; git@github.com:org/repo.git";
        assertThat(UrlScrubber.scrub(plain)).isEqualTo(plain);
        assertThat(UrlScrubber.scrub((String) null)).isNull();
    }

    @Test
    void blanksKnownSecretValuesAnywhere() {
        assertThat(UrlScrubber.scrub(
                        "header Authorization: Basic ghp_abc at https://x:ghp_abc@h/r", List.of("ghp_abc")))
                .isEqualTo("header Authorization: Basic *** at https://***@h/r");
    }
}
