package dev.lockstep.render.kustomize;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.RenderedOutput;
import dev.lockstep.render.KustomizeSpec;
import dev.lockstep.render.RenderException;
import dev.lockstep.render.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code kustomize build} of one directory of a commit: scan what it reads (refusing remote bases, symlinks and
 * paths out of the repository), copy that into the render directory, run kustomize there with nothing enabled (no
 * plugins, no exec functions, no Helm), and take its output only when it exited cleanly.
 */
public final class KustomizeRenderer {
    /** More output than this is a runaway generator, not a deployment. */
    public static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;

    private final Path workDir;
    private final KustomizeTools tools;
    private final long maxOutputBytes;

    /** @param workDir {@code <cacheDir>/render}: one copy per app, the latest */
    public KustomizeRenderer(Path workDir, KustomizeTools tools) {
        this(workDir, tools, MAX_OUTPUT_BYTES);
    }

    KustomizeRenderer(Path workDir, KustomizeTools tools, long maxOutputBytes) {
        this.workDir = workDir;
        this.tools = tools;
        this.maxOutputBytes = maxOutputBytes;
    }

    /** What a render will read, and the key it is cached under; scanning reads kustomization files only. */
    public static final class Plan {
        private final String directory;
        private final String key;
        private final InputScan.Inputs inputs;
        private final KustomizeTool tool;

        Plan(String directory, String key, InputScan.Inputs inputs, KustomizeTool tool) {
            this.directory = directory;
            this.key = key;
            this.inputs = inputs;
            this.tool = tool;
        }

        /** Equal keys render equally; "" when the tree has no object ids (a directory on disk): never cached. */
        public String key() {
            return key;
        }

        /** The kustomization file at the directory, as errors name it. */
        public String kustomization() {
            return inputs.rootKustomization();
        }
    }

    /** @throws RenderException for a refusal or an unusable kustomize, naming the file */
    public Plan plan(KustomizeSpec spec, boolean allowRemote, SourceTree tree, String directory)
            throws RenderException, GitSourceException {
        InputScan.Inputs inputs;
        try {
            inputs = new InputScan(tree, allowRemote).scan(directory);
        } catch (KustomizeRefusal refusal) {
            throw new RenderException(refusal.problems());
        }
        KustomizeTool tool;
        try {
            tool = tools.tool(spec.command());
        } catch (KustomizeUnavailable e) {
            // the commit's kustomization needs it: say which, so the stalled commit points at the file and the field
            throw new RenderException(inputs.rootKustomization() + ": " + e.getMessage());
        }
        String key = inputs.digest().isEmpty()
                ? ""
                : Digests.sha256(inputs.digest() + "\n" + tool.command() + "\n" + tool.version() + "\n" + allowRemote);
        return new Plan(directory, key, inputs, tool);
    }

    public RenderedOutput render(String app, KustomizeSpec spec, SourceTree tree, Plan plan)
            throws RenderException, GitSourceException {
        if (!tree.holdsSecrets()) {
            return render(app, spec, tree, plan, new TreeCopy(workDir, false));
        }
        // decrypted files never go under cacheDir: a private directory of their own, gone when kustomize is done
        Path privateDir;
        try {
            privateDir = TreeCopy.privateDirectory();
        } catch (IOException e) {
            throw new RenderException("cannot make a private directory for decrypted files: " + e.getMessage());
        }
        try {
            return render(app, spec, tree, plan, new TreeCopy(privateDir, true));
        } finally {
            try {
                TreeCopy.delete(privateDir);
            } catch (IOException e) {
                throw new RenderException(
                        "cannot remove the private directory of decrypted files " + privateDir + ": " + e.getMessage());
            }
        }
    }

    private RenderedOutput render(String app, KustomizeSpec spec, SourceTree tree, Plan plan, TreeCopy writer)
            throws RenderException, GitSourceException {
        Path copy;
        try {
            copy = writer.write(app, tree.id(), tree, plan.inputs);
        } catch (IOException e) {
            throw new RenderException("cannot write the files of " + tree.label() + " for kustomize under "
                    + writer.workDir() + ": " + e.getMessage());
        }
        String dir = plan.directory;
        List<String> command = new ArrayList<>(plan.tool.command());
        command.add(dir.isEmpty() ? "." : dir);
        ProcessRun.Outcome outcome = ProcessRun.run(command, copy, spec.timeout(), maxOutputBytes);
        String what = "kustomize build " + plan.inputs.rootKustomization();
        if (outcome instanceof ProcessRun.Outcome.Exited exited && exited.code() == 0) {
            return new RenderedOutput(dir, plan.tool.label(), exited.stdout());
        }
        if (outcome instanceof ProcessRun.Outcome.TimedOut t) {
            throw new RenderException(what + ": ran past render.kustomize.timeout ("
                    + t.after().toSeconds() + "s) and was stopped; nothing of this commit was applied");
        }
        if (outcome instanceof ProcessRun.Outcome.TooLarge t) {
            throw new RenderException(what + ": printed more than " + size(t.limit())
                    + " and was stopped; nothing of this commit was applied");
        }
        if (outcome instanceof ProcessRun.Outcome.NotStarted n) {
            throw new RenderException(
                    what + ": cannot run '" + String.join(" ", plan.tool.command()) + "': " + n.reason());
        }
        ProcessRun.Outcome.Exited failed = (ProcessRun.Outcome.Exited) outcome;
        throw new RenderException(what + " failed (exit " + failed.code() + "): "
                + Messages.trim(Messages.repositoryPaths(failed.stderr(), copy)));
    }

    /** {@code 64 MiB}, {@code 64 KiB}: a cap below a MiB read as "0 MiB" before. */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
