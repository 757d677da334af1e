package dev.lockstep.manifest;

import dev.lockstep.model.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A kustomize {@code kustomization.yaml} is not a Kubernetes object, and Lockstep does not run kustomize. One that only
 * lists files ({@code resources:} of plain files under its own directory, the common case of a directory of manifests
 * with a kustomization beside them) means what Lockstep does anyway, restricted to the files it lists: those files are
 * read and the directory's other manifest files are skipped with a warning, as {@code kustomize build} would leave them
 * out. Anything kustomize would transform (patches, images, namePrefix, generators, bases in other directories or
 * remote ones...) is refused with a message naming kustomize and what to do instead, because applying the files as
 * they are would differ from what kustomize renders.
 */
final class Kustomizations {
    /** The file names kustomize itself recognises. */
    private static final Set<String> FILE_NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final String API_GROUP = "kustomize.config.k8s.io/";
    private static final Set<String> PLAIN_FIELDS = Set.of("apiVersion", "kind", "resources");

    private final YamlDocuments yaml;

    Kustomizations(YamlDocuments yaml) {
        this.yaml = yaml;
    }

    /** The files to read as manifests, after the kustomizations among them had their say. */
    record Filtered(List<SourceFile> files, List<ManifestError> errors, List<ManifestError> warnings) {}

    static boolean isKustomizationFile(String path) {
        return FILE_NAMES.contains(path.substring(path.lastIndexOf('/') + 1));
    }

    /** True for a document of kustomize's own API group (not Flux's kustomize.toolkit.fluxcd.io, a real object). */
    static boolean isKustomizeDocument(Object value) {
        return value instanceof Map<?, ?> m && m.get("apiVersion") instanceof String v && v.startsWith(API_GROUP);
    }

    Filtered filter(List<SourceFile> files) {
        List<ManifestError> errors = new ArrayList<>();
        List<ManifestError> warnings = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        List<String> dirs = new ArrayList<>();
        for (SourceFile file : files) {
            if (isKustomizationFile(file.path())) {
                String dir = directoryOf(file.path());
                dirs.add(dir);
                read(file, dir, listed, errors);
            }
        }
        List<SourceFile> kept = new ArrayList<>();
        for (SourceFile file : files) {
            if (isKustomizationFile(file.path())) {
                continue;
            }
            boolean inKustomizedDir =
                    dirs.stream().anyMatch(d -> d.isEmpty() || file.path().startsWith(d + "/"));
            if (inKustomizedDir && !listed.contains(file.path()) && ManifestParser.isManifestFile(file.path())) {
                String kustomization = dirs.stream()
                        .filter(d -> d.isEmpty() || file.path().startsWith(d + "/"))
                        .map(d -> d.isEmpty() ? "kustomization.yaml" : d + "/kustomization.yaml")
                        .findFirst()
                        .orElse("kustomization.yaml");
                warnings.add(
                        new ManifestError(file.path(), 0, "skipped: not in the resources: list of " + kustomization));
                continue;
            }
            kept.add(file);
        }
        for (String path : listed) {
            if (files.stream().noneMatch(f -> f.path().equals(path))) {
                errors.add(new ManifestError(path, 0, "listed in a kustomization's resources: but not in the commit"));
            }
        }
        return new Filtered(kept, errors, warnings);
    }

    private void read(SourceFile file, String dir, Set<String> listed, List<ManifestError> errors) {
        YamlDocuments.Result read = yaml.read(file);
        errors.addAll(read.errors());
        for (YamlDocuments.Document doc : read.documents()) {
            if (!(doc.node() instanceof MappingNode mapping) || !(doc.value() instanceof Map<?, ?> value)) {
                errors.add(new ManifestError(file.path(), doc.line(), "a kustomization must be a mapping"));
                continue;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String field = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                int line = YamlDocuments.line(tuple.getKeyNode().getStartMark());
                if (!PLAIN_FIELDS.contains(field)) {
                    errors.add(new ManifestError(
                            file.path(),
                            line,
                            "a kustomize Kustomization (" + API_GROUP + "*) using '" + field + "': Lockstep does not"
                                    + " run kustomize. Commit the output of 'kustomize build "
                                    + (dir.isEmpty() ? "." : dir)
                                    + "' as plain YAML instead, or keep this file to a plain resources: list of the"
                                    + " manifest files beside it"));
                }
            }
            if (value.get("resources") instanceof List<?> resources) {
                for (Object entry : resources) {
                    String resource = String.valueOf(entry);
                    String problem = plainFileProblem(resource);
                    if (problem != null) {
                        errors.add(new ManifestError(
                                file.path(),
                                doc.line(),
                                "resources: '" + resource + "' " + problem + ": Lockstep does not run kustomize;"
                                        + " list only manifest files in this directory (or render the"
                                        + " kustomization with 'kustomize build' and commit its output)"));
                    } else {
                        listed.add(dir.isEmpty() ? resource : dir + "/" + resource);
                    }
                }
            } else if (value.containsKey("resources")) {
                errors.add(new ManifestError(file.path(), doc.line(), "resources: must be a list of file names"));
            }
        }
    }

    /** Why a resources: entry is not a plain manifest file under the kustomization's directory; null when it is. */
    private static String plainFileProblem(String resource) {
        if (resource.contains("://") || resource.startsWith("github.com/") || resource.startsWith("git@")) {
            return "is a remote base";
        }
        if (resource.startsWith("/")
                || resource.equals("..")
                || resource.startsWith("../")
                || resource.contains("/../")) {
            return "is outside the kustomization's directory";
        }
        if (!ManifestParser.isManifestFile(resource.toLowerCase(Locale.ROOT))) {
            return "is a directory or another kustomization, not a manifest file";
        }
        return null;
    }

    private static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
