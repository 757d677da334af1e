package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Commands that need no cluster: help, validate, configuration errors. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "sync", "diff", "history", "status", "validate"})
    void everyCommandHasHelpWithItsExitCodes(String command) {
        Result r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: lockstep " + command).contains("Exit codes:");
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("run", "sync", "diff", "history", "status", "validate")
                .doesNotContain("dev-node");
    }

    @Test
    void validateReportsFileAndLineAndFails() throws Exception {
        Files.createDirectories(tmp.resolve("app/nested"));
        Files.writeString(tmp.resolve("app/ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
        Files.writeString(
                tmp.resolve("app/nested/bad.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
        Result r = run("validate", tmp.resolve("app").toString(), "--namespace", "shop");
        assertThat(r.code()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err())
                .contains("nested/bad.yaml:5: ")
                .contains("duplicate key")
                .contains("1 error(s); nothing would be applied");
    }

    @Test
    void validatePassesGoodManifests() throws Exception {
        Files.writeString(tmp.resolve("ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
        Result r = run("validate", tmp.toString(), "-n", "shop");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("1 objects valid").contains("ConfigMap/shop/ok  (ok.yaml:1)");
    }

    @Test
    void aBadConfigurationExitsTwoNamingTheField() throws Exception {
        Path config = tmp.resolve("lockstep.yaml");
        Files.writeString(
                config,
                "apps:\n  - name: hello\n    namespace: hello\n    repo: {url: \"file:///x\"}\n    interval: soon\n");
        Result r = run("sync", "--config", config.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("apps[0].interval: \"soon\" is not a duration");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("deploy").code()).isEqualTo(ExitCode.USAGE);
    }
}
