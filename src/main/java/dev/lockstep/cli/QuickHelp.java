package dev.lockstep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code lockstep --help} and {@code --version} without building picocli's command model: building it reflects over
 * every command, its options and mixins, which was most of a cold {@code --help}. The usage text is picocli's own
 * rendering, kept in {@code usage.txt} and {@code usage.ansi.txt} beside this class; {@code QuickHelpTest} renders it
 * again from the model on every build and fails when the two differ, so it cannot go stale. Anything else (a
 * subcommand's help, a {@code picocli.*} system property that changes the rendering) goes to picocli.
 */
final class QuickHelp {
    static final String PLAIN = "usage.txt";
    static final String ANSI = "usage.ansi.txt";

    private QuickHelp() {}

    /** The text picocli would print for these arguments, when it is one of the two kept here. */
    static Optional<String> answer(String... args) {
        if (args.length != 1
                || System.getProperties().stringPropertyNames().stream().anyMatch(p -> p.startsWith("picocli."))) {
            return Optional.empty();
        }
        return switch (args[0]) {
            case "--help", "-h" -> Optional.of(resource(Ansi.AUTO.enabled() ? ANSI : PLAIN));
            case "--version", "-V" -> Optional.of(new Main.Version().getVersion()[0] + System.lineSeparator());
            default -> Optional.empty();
        };
    }

    static String resource(String name) {
        try (InputStream in = QuickHelp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + QuickHelp.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
