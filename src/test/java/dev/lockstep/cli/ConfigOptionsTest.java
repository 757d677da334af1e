package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --app}: the commands work on one app, with every daemon-wide setting of the file. */
class ConfigOptionsTest {
    @TempDir
    Path tmp;

    private ConfigOptions options(String app) throws Exception {
        Files.writeString(tmp.resolve("ui-token"), "let-me-in\n");
        ConfigOptions options = new ConfigOptions();
        options.config = Files.writeString(tmp.resolve("lockstep.yaml"), """
                sharding: true
                http: {port: 9191, uiTokenFile: ui-token}
                apps:
                  - {name: front, namespace: front, repo: {url: "https://git.example.com/front.git"}}
                  - {name: back, namespace: back, repo: {url: "https://git.example.com/back.git"}}
                """);
        options.app = app;
        return options;
    }

    @Test
    void oneAppKeepsTheStatusPageTokenAndSharding() throws Exception {
        LockstepConfig config = options("back").load();

        assertThat(config.apps()).extracting(AppSpec::name).containsExactly("back");
        assertThat(config.uiTokenFile())
                .as("the status page stays behind its token")
                .hasValue(tmp.resolve("ui-token"));
        assertThat(config.sharding()).as("a sharded replica stays sharded").isTrue();
        assertThat(config.httpPort()).isEqualTo(9191);
    }

    @Test
    void anUnknownAppNamesTheConfiguredOnes() throws Exception {
        ConfigOptions options = options("middle");
        assertThatThrownBy(options::load)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--app middle: no such app (configured: front, back)");
    }
}
