package dev.lockstep.cli;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestError;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.NamespacePolicy;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.DirectoryTree;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.RenderSpec;
import dev.lockstep.render.Renderer;
import dev.lockstep.render.kustomize.Kustomization;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
                "Check manifests offline (YAML, required fields, namespace policy); errors are printed as file:line."
                        + " A directory holding a kustomization is rendered by kustomize first, as the daemon would.",
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
        NamespacePolicy policy =
                new NamespacePolicy(namespace, Set.copyOf(allowedNamespaces), Set.copyOf(allowedKinds));
        if (holdsKustomization(path)) {
            return rendered(out, err, policy);
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
        return report(out, err, new ManifestLoader().load(files, policy, KindScopes.builtIn()));
    }

    /** A directory with a kustomization in it (or under it) is rendered by kustomize, as the daemon would. */
    private int rendered(PrintWriter out, PrintWriter err, NamespacePolicy policy) throws IOException {
        DirectoryTree tree = new DirectoryTree(DirectoryTree.workingCopyOf(path));
        Path work = Files.createTempDirectory("lockstep-validate-");
        try {
            Renderer renderer = new Renderer(new KustomizeRenderer(work, new KustomizeTools()), Clock.systemUTC());
            Optional<RenderResult> result;
            try {
                result = renderer.render("validate", RenderSpec.DEFAULT, tree.relative(path), tree);
            } catch (GitSourceException e) {
                err.println("lockstep validate: " + e.getMessage());
                return ExitCode.FAILED;
            }
            if (result.isEmpty()) {
                err.println("lockstep validate: " + path + ": no such file or directory");
                return ExitCode.USAGE;
            }
            if (result.get() instanceof RenderResult.Refused refused) {
                refused.errors().forEach(err::println);
                err.println(refused.errors().size() + " error(s); nothing would be applied");
                return ExitCode.FAILED;
            }
            RenderResult.Ok ok = (RenderResult.Ok) result.get();
            if (!ok.rendered().engine().isEmpty()) {
                out.println("rendered by " + ok.rendered().engine());
            }
            return report(
                    out,
                    err,
                    new ManifestLoader()
                            .load(ok.rendered().files(), ok.rendered().outputs(), policy, KindScopes.builtIn()));
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean holdsKustomization(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.anyMatch(p -> Kustomization.FILE_NAMES.contains(String.valueOf(p.getFileName()))
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static int report(PrintWriter out, PrintWriter err, ParseResult result) {
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
