package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The kept usage text is picocli's rendering of the command model as it is now, with colours and without: a command,
 * option or description changed without the text fails the build. To write the text again after such a change:
 * {@code mvn -o -q -B -DskipITs -Dtest=QuickHelpTest -Dhelp.write=true verify}.
 */
class QuickHelpTest {
    private static final Path KEPT = Path.of("src/main/resources/dev/lockstep/cli");

    @ParameterizedTest
    @ValueSource(strings = {"OFF", "ON"})
    void keptUsageIsPicocliRenderingOfTheModel(String ansi) throws Exception {
        String name = ansi.equals("ON") ? QuickHelp.ANSI : QuickHelp.PLAIN;
        String rendered = new CommandLine(new Main()).getUsageMessage(Ansi.valueOf(ansi));
        if (Boolean.getBoolean("help.write")) {
            Files.writeString(KEPT.resolve(name), rendered);
        }
        assertThat(QuickHelp.resource(name))
                .as("%s is stale: write it again with -Dhelp.write=true (see this test's comment)", name)
                .isEqualTo(rendered);
    }

    @Test
    void helpAndVersionPrintWhatPicocliPrints() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"--version"}, {"-V"}}) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(picocli(args));
        }
    }

    @Test
    void everythingElseGoesToPicocli() {
        assertThat(QuickHelp.answer("status", "--help")).isEmpty();
        assertThat(QuickHelp.answer("--help", "--version")).isEmpty();
        assertThat(QuickHelp.answer()).isEmpty();
        System.setProperty("picocli.usage.width", "120");
        try {
            assertThat(QuickHelp.answer("--help")).isEmpty();
        } finally {
            System.clearProperty("picocli.usage.width");
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args))
                .isZero();
        return out.toString();
    }

    /** What picocli itself prints (help and version through its own execute path). */
    private static String picocli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }
}
