package dev.lockstep.render.kustomize;

import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.SourceTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Finds what {@code kustomize build} of one directory will read, before it runs: the kustomization and every local
 * base, component and resource it names, transitively. It refuses, naming the kustomization file and field, what
 * Lockstep never lets kustomize do: fetch a remote base (unless allowed), follow a symlink, read outside the
 * repository, or inflate a Helm chart. kustomize's default load restrictor keeps every other file a kustomization
 * reads (patches, generator inputs) inside its own directory, so copying each visited directory is enough.
 */
final class InputScan {
    /** Fields whose entries are kustomizations (directories) or resource files. */
    private static final List<String> UNIT_FIELDS = List.of("resources", "bases", "components");

    /**
     * Plugin fields: an entry is a file, a kustomization directory (kustomize reads it like a base, even outside the
     * kustomization's directory), a URL, or an inline plugin config.
     */
    private static final List<String> PLUGIN_FIELDS = List.of("generators", "transformers", "validators");

    /**
     * Fields that hold file paths (or entries with a path), checked to stay inside the repository and local: kustomize
     * loads any of them over http(s) when given a URL.
     */
    private static final List<String> PATH_FIELDS = List.of(
            "crds",
            "configurations",
            "patchesStrategicMerge",
            "patches",
            "patchesJson6902",
            "replacements",
            "openapi",
            "configMapGenerator",
            "secretGenerator");

    /**
     * Kustomize's remote forms: URLs, go-getter's forced getters ({@code git::}, {@code s3::}), scp-like addresses with
     * any user ({@code deploy@host:path}: kustomize v5 fetches those, not only {@code git@}), {@code github.com:} and
     * hosting shorthands.
     */
    private static final Pattern REMOTE = Pattern.compile(
            "^([a-z][a-z0-9+.-]*://|[a-z0-9]+::|[a-z][a-z0-9-]*@[^/:]+:|github\\.com:|[a-z0-9.-]+\\.(com|org|io|net)/"
                    + "|[^?]*\\?ref=)",
            Pattern.CASE_INSENSITIVE);

    /** What the scan found. */
    record Inputs(Set<String> directories, Set<String> files, String rootKustomization, String digest) {}

    private final SourceTree tree;
    private final boolean allowRemote;
    private final List<String> errors = new ArrayList<>();

    InputScan(SourceTree tree, boolean allowRemote) {
        this.tree = tree;
        this.allowRemote = allowRemote;
    }

    /** @throws KustomizeRefusal naming every problem found */
    Inputs scan(String root) throws GitSourceException, KustomizeRefusal {
        Set<String> directories = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(root));
        String rootFile = null;
        while (!pending.isEmpty()) {
            String dir = pending.pop();
            if (!directories.add(dir)) {
                continue;
            }
            Optional<String> file = kustomizationIn(dir);
            if (file.isEmpty()) {
                continue; // a plain directory listed as a resource: kustomize reports it, with its own words
            }
            if (rootFile == null) {
                rootFile = file.get();
            }
            Map<?, ?> doc = read(file.get());
            if (doc == null) {
                continue;
            }
            refuseHelm(file.get(), doc);
            for (String field : UNIT_FIELDS) {
                for (String entry : strings(doc.get(field))) {
                    unit(file.get(), dir, field, entry, pending, files);
                }
            }
            for (String field : PLUGIN_FIELDS) {
                if (doc.get(field) instanceof List<?> items) {
                    for (Object item : items) {
                        if (item instanceof String entry && !entry.isBlank() && !entry.contains("\n")) {
                            unit(file.get(), dir, field, entry.trim(), pending, files);
                        } else {
                            for (String path : paths(item)) {
                                local(file.get(), dir, field, path);
                            }
                        }
                    }
                }
            }
            for (String field : PATH_FIELDS) {
                for (String path : paths(doc.get(field))) {
                    local(file.get(), dir, field, path);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new KustomizeRefusal(errors);
        }
        return new Inputs(directories, files, rootFile == null ? root : rootFile, digest(directories, files));
    }

    private Optional<String> kustomizationIn(String dir) throws GitSourceException {
        for (String name : Kustomization.FILE_NAMES) {
            String path = dir.isEmpty() ? name : dir + "/" + name;
            Optional<TreeEntry> e = tree.entry(path);
            if (e.isPresent() && e.get().type() == TreeEntry.Type.FILE) {
                return Optional.of(path);
            }
            if (e.isPresent() && e.get().type() == TreeEntry.Type.SYMLINK) {
                errors.add(path + ": is a symlink; Lockstep never follows symlinks (commit the file itself)");
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Map<?, ?> read(String file) throws GitSourceException {
        List<SourceFile> content = tree.files(file).orElse(List.of());
        if (content.isEmpty()) {
            return null;
        }
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            options.setCodePointLimit(4 * 1024 * 1024);
            Object value = new Yaml(new SafeConstructor(options))
                    .load(new String(content.get(0).content(), StandardCharsets.UTF_8));
            if (value instanceof Map<?, ?> m) {
                return m;
            }
            errors.add(file + ": a kustomization must be a mapping");
        } catch (YAMLException e) {
            String problem = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            errors.add(file + ": not valid YAML: " + problem);
        }
        return null;
    }

    private void refuseHelm(String file, Map<?, ?> doc) {
        for (String field : List.of("helmCharts", "helmChartInflationGenerator", "helmGlobals")) {
            if (doc.containsKey(field)) {
                errors.add(file + ": " + field + ": needs kustomize's --enable-helm, which Lockstep never passes;"
                        + " deploy the chart as its own app with render.engine: helm");
            }
        }
    }

    private void unit(String file, String dir, String field, String entry, Deque<String> pending, Set<String> files)
            throws GitSourceException {
        if (REMOTE.matcher(entry).find()) {
            if (!allowRemote) {
                errors.add(file + ": " + field + ": '" + entry + "' is a remote base: Lockstep does not fetch"
                        + " remote bases unless the app sets allowRemoteBases: true (then kustomize fetches it"
                        + " itself); or vendor it into the repository");
            }
            return;
        }
        Optional<String> path = resolve(file, dir, field, entry);
        if (path.isEmpty()) {
            return;
        }
        Optional<TreeEntry> at = tree.entry(path.get());
        if (at.isEmpty()) {
            return; // missing: kustomize names it
        }
        switch (at.get().type()) {
            case DIRECTORY -> pending.add(path.get());
            case FILE -> files.add(path.get());
            case SYMLINK ->
                errors.add(file + ": " + field + ": '" + entry
                        + "' is a symlink; Lockstep never follows symlinks (commit the files themselves)");
            case SUBMODULE ->
                errors.add(file + ": " + field + ": '" + entry + "' is a git submodule, which Lockstep does not read");
        }
    }

    private void local(String file, String dir, String field, String entry) throws GitSourceException {
        if (REMOTE.matcher(entry).find()) {
            if (!allowRemote) {
                errors.add(file + ": " + field + ": '" + entry + "' is a remote file: Lockstep does not let kustomize"
                        + " fetch files unless the app sets allowRemoteBases: true; or vendor it into the repository");
            }
            return;
        }
        Optional<String> path = resolve(file, dir, field, entry);
        if (path.isPresent()
                && tree.entry(path.get())
                        .map(e -> e.type() == TreeEntry.Type.SYMLINK)
                        .orElse(false)) {
            errors.add(file + ": " + field + ": '" + entry
                    + "' is a symlink; Lockstep never follows symlinks (commit the file itself)");
        }
    }

    /** The repository path of {@code entry}, or empty (with an error) when it leaves the repository. */
    private Optional<String> resolve(String file, String dir, String field, String entry) throws GitSourceException {
        if (entry.startsWith("/")) {
            errors.add(file + ": " + field + ": '" + entry + "' is an absolute path; use a path inside the repository");
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        if (!dir.isEmpty()) {
            for (String s : dir.split("/")) {
                segments.addLast(s);
            }
        }
        String[] parts = entry.split("/");
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    errors.add(file + ": " + field + ": '" + entry + "' leaves the repository");
                    return Optional.empty();
                }
                segments.removeLast();
            } else {
                segments.addLast(s);
            }
            String prefix = String.join("/", segments);
            Optional<TreeEntry> at = tree.entry(prefix);
            boolean last = i == parts.length - 1
                    || String.join("", List.of(parts).subList(i + 1, parts.length))
                            .isEmpty();
            // the entry itself being a symlink is the caller's to say ("is a symlink"); here only a way through one
            if (!last && at.isPresent() && at.get().type() == TreeEntry.Type.SYMLINK) {
                errors.add(file + ": " + field + ": '" + entry + "' goes through the symlink '" + prefix
                        + "'; Lockstep never follows symlinks");
                return Optional.empty();
            }
        }
        return Optional.of(String.join("/", segments));
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String s && !s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** File paths in a field: list entries that are paths, {@code path:} keys, generator {@code files}/{@code envs}. */
    private static List<String> paths(Object value) {
        List<String> out = new ArrayList<>();
        collect(value, out);
        return out;
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof String s) {
            if (!s.contains("\n") && !s.contains(" ") && !s.isBlank()) { // inline patches hold newlines
                int eq = s.indexOf('=');
                boolean keyed = eq > 0 && s.substring(0, eq).matches("[^/:]+"); // generators' key=path, not a URL's =
                out.add(keyed ? s.substring(eq + 1) : s);
            }
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collect(item, out));
        } else if (value instanceof Map<?, ?> map) {
            for (String key : List.of("path", "files", "envs", "env")) {
                if (map.containsKey(key)) {
                    collect(map.get(key), out);
                }
            }
        }
    }

    /** Object ids of everything read, so a commit that leaves them alone reuses the last render. */
    private String digest(Set<String> directories, Set<String> files) throws GitSourceException {
        Map<String, String> ids = new TreeMap<>();
        for (String d : directories) {
            ids.put(d + "/", tree.entry(d).map(TreeEntry::id).orElse("-"));
        }
        for (String f : files) {
            ids.put(f, tree.entry(f).map(TreeEntry::id).orElse("-"));
        }
        if (ids.values().stream().anyMatch(String::isEmpty)) {
            return ""; // a directory on disk has no ids: never cached
        }
        StringBuilder all = new StringBuilder();
        ids.forEach((k, v) -> all.append(k).append('\0').append(v).append('\n'));
        return Digests.sha256(all.toString());
    }
}
