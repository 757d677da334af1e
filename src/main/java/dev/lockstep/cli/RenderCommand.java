package dev.lockstep.cli;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.GitSources;
import dev.lockstep.manifest.KindScopes;
import dev.lockstep.manifest.ManifestLoader;
import dev.lockstep.manifest.ParseResult;
import dev.lockstep.manifest.YamlRendering;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.model.SecretMask;
import dev.lockstep.reconcile.pass.DecryptingTree;
import dev.lockstep.render.GitTree;
import dev.lockstep.render.RenderResult;
import dev.lockstep.render.Renderer;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.secrets.SopsDecryptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Print exactly what would be applied for an app at a commit (the branch head by default), as"
                + " multi-document YAML: plain files, kustomize and Helm output, parsed and validated as a sync would,"
                + " Secret values and values decrypted from SOPS files masked. Needs git, not the cluster: a chart sees"
                + " Helm's default .Capabilities (`lockstep diff` renders it with the cluster's).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:rendered",
            "2:bad usage or configuration",
            "3:the render was refused or failed, or its output is invalid (nothing would be applied)",
            "4:git could not be reached"
        })
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--commit",
            paramLabel = "SHA",
            description = "Render this commit (full id, fetched with the branch) instead of the branch head.")
    String commit;

    @Option(
            names = "--show-secrets",
            description = "Print Secret values and values decrypted from SOPS files as they are (for a person at a"
                    + " terminal; never in CI logs).")
    boolean showSecrets;

    private final SopsDecryptor decryptor = new SopsDecryptor();
    /** What was encrypted in git at the rendered commit: masked unless --show-secrets. */
    private Set<String> secretValues = Set.of();

    @Override
    public Integer call() throws ConfigException, GitSourceException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LockstepConfig config = options.load(true);
        if (options.app == null && config.apps().size() != 1) {
            err.println("lockstep render: --app is required when the config has more than one app (configured: "
                    + String.join(
                            ", ", config.apps().stream().map(AppSpec::name).toList()) + ")");
            return ExitCode.USAGE;
        }
        AppSpec app = config.apps().get(0);
        Path work = Files.createTempDirectory("lockstep-render-");
        try (GitSources sources = new GitSources(config.cacheDir())) {
            GitSource git = sources.of(app.repo());
            Revision head = git.fetch();
            Revision at = commit == null ? head : git.revision(commit);
            Renderer renderer = new Renderer(new KustomizeRenderer(work, new KustomizeTools()), Clock.systemUTC());
            DecryptingTree tree = new DecryptingTree(new GitTree(git, at.commit()), decryptor, app.decrypt());
            Optional<RenderResult> result;
            try {
                result = renderer.render(app.name(), app.namespace(), app.render(), app.path(), tree);
            } catch (DecryptingTree.Refused e) {
                err.println("app " + app.name() + ": commit " + at.shortSha() + ": " + e.getMessage());
                return ExitCode.REJECTED;
            }
            if (result.isEmpty()) {
                err.println(
                        "app " + app.name() + ": path '" + app.path() + "' does not exist at commit " + at.shortSha());
                return ExitCode.REJECTED;
            }
            if (result.get() instanceof RenderResult.Refused refused) {
                refused.errors()
                        .forEach(e -> err.println("app " + app.name() + ": commit " + at.shortSha() + ": " + e));
                return ExitCode.REJECTED;
            }
            RenderResult.Ok ok = (RenderResult.Ok) result.get();
            for (var output : ok.rendered().outputs()) {
                if (decryptor.anyDocumentEncrypted(output.yaml())) {
                    err.println("app " + app.name() + ": commit " + at.shortSha() + ": " + output.label()
                            + " printed a SOPS-encrypted document that Lockstep did not read as a file");
                    return ExitCode.REJECTED;
                }
            }
            secretValues = tree.secretValues();
            ParseResult parsed = new ManifestLoader()
                    .load(ok.rendered().files(), ok.rendered().outputs(), app.namespacePolicy(), KindScopes.builtIn());
            parsed.warnings().forEach(w -> err.println("warning: " + w));
            if (!parsed.ok()) {
                parsed.errors().forEach(e -> err.println("app " + app.name() + ": commit " + at.shortSha() + ": " + e));
                return ExitCode.REJECTED;
            }
            String engine = ok.rendered().engine();
            out.println("# app " + app.name() + ", commit " + at.shortSha() + " \"" + at.subject() + "\""
                    + (engine.isEmpty() ? "" : ", rendered by " + engine) + ": "
                    + parsed.manifests().size()
                    + " objects" + (showSecrets ? "" : ", Secret values and values decrypted from SOPS masked"));
            print(out, parsed.manifests());
            return ExitCode.OK;
        } finally {
            delete(work);
        }
    }

    private void print(PrintWriter out, List<Manifest> manifests) {
        for (Manifest m : manifests) {
            out.println("---");
            out.println("# Source: " + m.location());
            YamlRendering.lines(showSecrets ? m.body() : masked(m.body())).forEach(out::println);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> masked(Map<String, Object> body) {
        return (Map<String, Object>) SecretMask.maskedTree(body, secretValues);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
