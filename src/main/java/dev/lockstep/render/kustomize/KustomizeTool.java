package dev.lockstep.render.kustomize;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kustomize Lockstep runs: the configured build command, or {@code kustomize build} when kustomize is on PATH, else
 * {@code kubectl kustomize}; and its version, which must be v4 or later (older ones differ on patches, generators
 * and name references, and Debian's kubectl 1.20 bundles v2.0.3).
 *
 * @param command the build command; the kustomization directory is appended
 * @param version as kustomize prints it, e.g. {@code v5.5.0}
 */
public record KustomizeTool(List<String> command, String version) {
    public static final int MIN_MAJOR = 4;

    private static final Pattern SEMVER = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern KUSTOMIZE_VERSION =
            Pattern.compile("kustomize(?:/|Version\"?:\\s*\"?)(v?\\d+\\.\\d+\\.\\d+)");
    private static final Pattern KUBECTL_MINOR = Pattern.compile("\"?gitVersion\"?:\\s*\"v1\\.(\\d+)\\.");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    public KustomizeTool {
        command = List.copyOf(command);
    }

    /** {@code kustomize v5.5.0}: what history and the status page show. */
    public String label() {
        return "kustomize " + version;
    }

    /**
     * Finds the command and checks its version.
     *
     * @param configured {@code render.kustomize.command}, or empty for the default
     * @throws KustomizeUnavailable naming the command, what was found and what is needed
     */
    public static KustomizeTool find(Optional<List<String>> configured) throws KustomizeUnavailable {
        List<String> command = configured.orElseGet(KustomizeTool::defaultCommand);
        String version = version(command);
        Matcher m = SEMVER.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_MAJOR) {
            throw new KustomizeUnavailable(String.join(" ", command) + " is kustomize " + version + "; Lockstep needs"
                    + " kustomize v" + MIN_MAJOR + " or later (set render.kustomize.command to a newer kustomize, e.g."
                    + " [kustomize, build], or use kubectl 1.21 or later)");
        }
        return new KustomizeTool(command, version.startsWith("v") ? version : "v" + version);
    }

    static List<String> defaultCommand() {
        return onPath("kustomize") ? List.of("kustomize", "build") : List.of("kubectl", "kustomize");
    }

    private static boolean onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Asks the program for its version the way each form answers: {@code kustomize version}, {@code kubectl version}. */
    private static String version(List<String> command) throws KustomizeUnavailable {
        String program = Path.of(command.get(0)).getFileName().toString();
        boolean kubectl = program.equals("kubectl") || program.startsWith("kubectl-") || program.startsWith("kubectl.");
        List<String> ask = new ArrayList<>();
        if (kubectl) {
            ask.add(command.get(0));
            ask.addAll(List.of("version", "--client", "-o", "json"));
        } else {
            int build = command.lastIndexOf("build");
            ask.addAll(build > 0 ? command.subList(0, build) : command);
            ask.add("version");
        }
        ProcessRun.Outcome outcome = ProcessRun.run(ask, Path.of("."), VERSION_TIMEOUT, 1024 * 1024);
        if (outcome instanceof ProcessRun.Outcome.NotStarted notStarted) {
            throw new KustomizeUnavailable("kustomize is not available: cannot run '" + String.join(" ", command)
                    + "' (" + notStarted.reason() + "); install kustomize v" + MIN_MAJOR + " or later, or set"
                    + " render.kustomize.command");
        }
        if (!(outcome instanceof ProcessRun.Outcome.Exited exited) || exited.code() != 0) {
            throw new KustomizeUnavailable(
                    "kustomize is not available: '" + String.join(" ", ask) + "' " + describe(outcome));
        }
        String out = new String(exited.stdout(), java.nio.charset.StandardCharsets.UTF_8) + exited.stderr();
        Matcher named = KUSTOMIZE_VERSION.matcher(out);
        if (named.find()) {
            return named.group(1);
        }
        if (kubectl) {
            // kubectl before 1.24 does not print its kustomize's version; before 1.21 that is kustomize v2.0.3
            Matcher minor = KUBECTL_MINOR.matcher(out);
            if (minor.find() && Integer.parseInt(minor.group(1)) < 21) {
                return "v2.0.3 (bundled with kubectl 1." + minor.group(1) + ")";
            }
        }
        Matcher any = SEMVER.matcher(out);
        if (!kubectl && any.find()) {
            return any.group();
        }
        throw new KustomizeUnavailable("cannot tell the version of '" + String.join(" ", command) + "' from '"
                + String.join(" ", ask) + "'; Lockstep needs kustomize v" + MIN_MAJOR + " or later");
    }

    static String describe(ProcessRun.Outcome outcome) {
        if (outcome instanceof ProcessRun.Outcome.Exited e) {
            return "exited with " + e.code() + ": " + Messages.trim(e.stderr());
        }
        if (outcome instanceof ProcessRun.Outcome.TimedOut t) {
            return "ran past " + t.after().toSeconds() + "s and was stopped";
        }
        if (outcome instanceof ProcessRun.Outcome.TooLarge t) {
            return "printed more than " + t.limit() + " bytes and was stopped";
        }
        return "could not start: " + ((ProcessRun.Outcome.NotStarted) outcome).reason();
    }
}
