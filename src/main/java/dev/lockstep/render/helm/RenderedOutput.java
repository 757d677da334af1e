package dev.lockstep.render.helm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Splits Helm's output into documents, each with the template Helm names in its {@code # Source:} comment, and sorts
 * hooks into their stages: {@code test} hooks are left out, {@code pre-install}/{@code pre-upgrade} go before the
 * other objects, {@code post-install}/{@code post-upgrade} after them, anything else (delete and rollback hooks) is
 * left out and named.
 */
final class RenderedOutput {
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
    private static final String SOURCE = "# Source: ";
    private static final List<String> BEFORE_EVENTS = List.of("pre-install", "pre-upgrade");
    private static final List<String> AFTER_EVENTS = List.of("post-install", "post-upgrade");
    private static final List<String> TEST_EVENTS = List.of("test", "test-success", "test-failure");

    record Sorted(
            List<HelmHook> beforeHooks,
            List<RenderedDocument> objects,
            List<HelmHook> afterHooks,
            List<String> skippedHooks) {}

    private RenderedOutput() {}

    /** Documents of a multi-document YAML text; {@code defaultSource} when a document has no Source comment. */
    static List<RenderedDocument> documents(String text, String defaultSource) {
        List<RenderedDocument> documents = new ArrayList<>();
        for (String chunk : SEPARATOR.split(text)) {
            String body = chunk.strip();
            if (body.isEmpty()) {
                continue;
            }
            String source = defaultSource;
            if (body.startsWith(SOURCE)) {
                int end = body.indexOf('\n');
                source = (end < 0 ? body.substring(SOURCE.length()) : body.substring(SOURCE.length(), end)).strip();
                body = end < 0 ? "" : body.substring(end + 1).strip();
            }
            if (!isOnlyComments(body)) {
                documents.add(new RenderedDocument(source, body + "\n"));
            }
        }
        return documents;
    }

    static Sorted sort(List<RenderedDocument> documents) {
        List<HelmHook> before = new ArrayList<>();
        List<HelmHook> after = new ArrayList<>();
        List<RenderedDocument> objects = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RenderedDocument document : documents) {
            Map<?, ?> annotations = annotations(document);
            if (!(annotations.get(HookKey.HOOK) instanceof String hook)) {
                objects.add(document);
                continue;
            }
            List<String> events = split(hook);
            if (events.stream().anyMatch(TEST_EVENTS::contains)) {
                skipped.add(document.source() + " (test hook)");
            } else if (events.stream().anyMatch(BEFORE_EVENTS::contains)) {
                before.add(hook(document, HookStage.BEFORE, events, annotations));
            } else if (events.stream().anyMatch(AFTER_EVENTS::contains)) {
                after.add(hook(document, HookStage.AFTER, events, annotations));
            } else {
                skipped.add(document.source() + " (hook " + String.join(",", events) + ": not run by Lockstep)");
            }
        }
        // Helm runs hooks in ascending weight; the sort is stable, so Helm's own order stays within one weight
        before.sort(Comparator.comparingInt(HelmHook::weight));
        after.sort(Comparator.comparingInt(HelmHook::weight));
        return new Sorted(before, objects, after, skipped);
    }

    private static HelmHook hook(
            RenderedDocument document, HookStage stage, List<String> events, Map<?, ?> annotations) {
        int weight = 0;
        if (annotations.get(HookKey.WEIGHT) instanceof String text) {
            try {
                weight = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                weight = 0; // as Helm: a weight that is not a number counts as 0
            }
        }
        // Helm's default policy, when none is given, is before-hook-creation
        boolean deleteBeforeCreation = !(annotations.get(HookKey.DELETE_POLICY) instanceof String policy)
                || split(policy).contains("before-hook-creation");
        return new HelmHook(document, stage, events, weight, deleteBeforeCreation);
    }

    private static Map<?, ?> annotations(RenderedDocument document) {
        try {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(document.yaml());
            if (parsed instanceof Map<?, ?> object
                    && object.get("metadata") instanceof Map<?, ?> metadata
                    && metadata.get("annotations") instanceof Map<?, ?> annotations) {
                return annotations;
            }
        } catch (YAMLException e) {
            // not this class's to judge: the manifest reader reports invalid YAML with its file and line
        }
        return Map.of();
    }

    private static List<String> split(String list) {
        return java.util.Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean isOnlyComments(String body) {
        return body.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
    }
}
