package dev.lockstep.cli;

import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestError;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check manifests offline (YAML, required fields, namespace policy); errors are printed as file:line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all manifests are valid",
            "1:at least one error (each printed as file:line: message)",
            "2:bad usage"
        })
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Directory (read recursively) or file of manifests.")
    Path path;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Target namespace of the app (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--allow-namespace",
            paramLabel = "NS",
            description = "Another namespace the app may write to (repeatable).")
    List<String> allowedNamespaces = new ArrayList<>();

    @Option(
            names = "--allow-cluster-kind",
            paramLabel = "KIND",
            description = "A cluster-scoped kind the app may write (repeatable).")
    List<String> allowedKinds = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(path)) {
            err.println("lockstep validate: " + path + ": no such file or directory");
            return ExitCode.USAGE;
        }
        List<SourceFile> files = new ArrayList<>();
        Path base = Files.isDirectory(path) ? path : path.getParent() == null ? Path.of(".") : path.getParent();
        try (Stream<Path> walk = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
            for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList()) {
                files.add(new SourceFile(base.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
            }
        }
        ParseResult result = new ManifestLoader()
                .load(
                        files,
                        new NamespacePolicy(namespace, Set.copyOf(allowedNamespaces), Set.copyOf(allowedKinds)),
                        KindScopes.builtIn());
        for (ManifestError w : result.warnings()) {
            err.println("warning: " + w);
        }
        for (ManifestError e : result.errors()) {
            err.println(e);
        }
        if (!result.ok()) {
            err.println(result.errors().size() + " error(s); nothing would be applied");
            return ExitCode.FAILED;
        }
        out.println(result.manifests().size() + " objects valid");
        result.manifests().forEach(m -> out.println("  " + m.key() + "  (" + m.location() + ")"));
        return ExitCode.OK;
    }
}
