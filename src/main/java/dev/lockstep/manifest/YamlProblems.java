package dev.lockstep.manifest;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * SnakeYAML error descriptions that quote nothing from the document, for the configuration and for manifests
 * (SnakeYAML is only used in the {@code config} and {@code manifest} packages).
 *
 * <p>{@code getMessage()} of a {@link MarkedYAMLException} includes a snippet of the source text around each mark,
 * and that line may hold a Secret value or a url with credentials. Its problem and context descriptions carry no
 * file content, except for a few problems that end in a name copied from the document (a tag, an alias, a
 * duplicate key): those are cut back to their description, and a duplicate key is only kept when it looks like a
 * field name.
 */
public final class YamlProblems {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    private static final String DUPLICATE_KEY_PREFIX = "found duplicate key ";
    private static final List<String> ECHOING_PROBLEMS = List.of(
            "could not determine a constructor for the tag",
            "found undefined alias",
            "found undefined tag handle",
            "Global tag is not allowed");

    private YamlProblems() {}

    /**
     * {@code "<context>: <problem>"}, or the problem alone when there is no context, e.g.
     * {@code "while scanning a quoted scalar: found unexpected end of stream"}; no marks, no snippet.
     */
    public static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null
                ? "invalid YAML"
                : withoutEcho(e.getProblem().strip());
        return e.getContext() == null ? problem : e.getContext().strip() + ": " + problem;
    }

    /** The duplicated key, when it looks like a field name (so an odd key can't leak content). */
    public static Optional<String> duplicateKey(DuplicateKeyException e) {
        return e.getProblem() == null
                ? Optional.empty()
                : plainDuplicateKey(e.getProblem().strip());
    }

    private static Optional<String> plainDuplicateKey(String problem) {
        if (!problem.startsWith(DUPLICATE_KEY_PREFIX)) {
            return Optional.empty();
        }
        String key = problem.substring(DUPLICATE_KEY_PREFIX.length());
        return PLAIN_KEY.matcher(key).matches() ? Optional.of(key) : Optional.empty();
    }

    private static String withoutEcho(String problem) {
        if (problem.startsWith(DUPLICATE_KEY_PREFIX)) {
            return plainDuplicateKey(problem).isPresent() ? problem : DUPLICATE_KEY_PREFIX.strip();
        }
        return ECHOING_PROBLEMS.stream().filter(problem::startsWith).findFirst().orElse(problem);
    }
}
