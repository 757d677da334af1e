package dev.lockstep.render.kustomize;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.SourceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes what kustomize will read of one commit to {@code <workDir>/<app>/<commit>}, the only files kustomize sees.
 * Regular files only (git's symlinks are never written, so nothing can point out of the copy). An app keeps one copy,
 * its latest: the others are removed first, so the directory does not grow with commits. The root kustomization gets
 * {@code buildMetadata: [originAnnotations]}, so kustomize says which file each object came from.
 */
final class TreeCopy {
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path workDir;
    private final boolean ownerOnly;

    /** @param ownerOnly directories 0700 and files 0600: the files may be decrypted secrets */
    TreeCopy(Path workDir, boolean ownerOnly) {
        this.workDir = workDir;
        this.ownerOnly = ownerOnly;
    }

    Path workDir() {
        return workDir;
    }

    /** A new directory only this process's user can enter, in the system's temporary directory. */
    static Path privateDirectory() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw new IOException("the file system has no POSIX permissions to keep decrypted files private");
        }
        return Files.createTempDirectory("lockstep-decrypted-", PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }

    Path write(String app, String treeId, SourceTree tree, InputScan.Inputs inputs)
            throws GitSourceException, IOException {
        Path appDir = workDir.resolve(app);
        Path copy = appDir.resolve(safe(treeId) + "-"
                + inputs.digest().substring(0, Math.min(12, inputs.digest().length())));
        removeOthers(appDir, copy);
        Path staging = appDir.resolve(copy.getFileName() + ".tmp");
        delete(staging);
        createDirectories(staging);
        List<String> roots = new ArrayList<>(inputs.directories());
        roots.addAll(inputs.files());
        for (String root : outermost(roots)) {
            for (SourceFile file : tree.files(root).orElse(List.of())) {
                Path target = staging.resolve(file.path()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("refusing to write " + file.path() + " outside the render directory");
                }
                createDirectories(target.getParent());
                byte[] content = file.path().equals(inputs.rootKustomization())
                        ? withOriginAnnotations(file.content())
                        : file.content();
                if (ownerOnly) {
                    Files.deleteIfExists(target);
                    Files.createFile(target, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                }
                Files.write(target, content);
            }
        }
        delete(copy);
        Files.move(staging, copy);
        return copy;
    }

    private void createDirectories(Path dir) throws IOException {
        if (!ownerOnly) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.isDirectory(dir) || dir.equals(workDir)) {
            return;
        }
        createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }

    /**
     * The roots that no other root holds: a directory's files are read recursively, so a resource file or a base
     * inside a copied directory would otherwise be read from git and written a second time (1,000 resource files
     * listed by a base cost 1,000 extra reads).
     */
    static List<String> outermost(List<String> roots) {
        List<String> sorted = roots.stream().distinct().sorted().toList();
        List<String> kept = new ArrayList<>();
        for (String root : sorted) {
            if (kept.stream().noneMatch(k -> k.isEmpty() || root.startsWith(k + "/"))) {
                kept.add(root);
            }
        }
        return kept;
    }

    /** Removes this app's render copies other than {@code keep} (and any left half-written by a crash). */
    private static void removeOthers(Path appDir, Path keep) throws IOException {
        if (!Files.isDirectory(appDir)) {
            return;
        }
        try (Stream<Path> children = Files.list(appDir)) {
            for (Path child : children.toList()) {
                if (!child.equals(keep)) {
                    delete(child);
                }
            }
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The kustomization with originAnnotations added to its buildMetadata (kept as it was if it cannot be read). */
    @SuppressWarnings("unchecked")
    static byte[] withOriginAnnotations(byte[] kustomization) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(new String(kustomization, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return kustomization; // kustomize reports the YAML error in its own words
        }
        if (!(doc instanceof Map<?, ?> map)) {
            return kustomization;
        }
        Map<String, Object> edited = new LinkedHashMap<>((Map<String, Object>) map);
        List<Object> metadata = new ArrayList<>();
        if (edited.get("buildMetadata") instanceof List<?> existing) {
            metadata.addAll(existing);
        }
        if (!metadata.contains("originAnnotations")) {
            metadata.add("originAnnotations");
        }
        edited.put("buildMetadata", metadata);
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump)
                .dump(edited)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
