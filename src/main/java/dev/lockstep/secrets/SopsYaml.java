package dev.lockstep.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML (and JSON, a subset of it) as sops reads it. sops' YAML library follows YAML 1.2's core schema: {@code on},
 * {@code yes} and timestamps stay strings. The MAC covers the unencrypted values too, so reading them as SnakeYAML's
 * YAML 1.1 would (a boolean, a date) would break it. Writing uses the ordinary YAML 1.1 rules, which quote such
 * strings, so the manifest reader downstream reads back exactly these values.
 */
final class SopsYaml {
    private SopsYaml() {}

    /** Every document of the text, in order: maps, lists and scalars (String, Integer/Long/BigInteger, Double, Boolean). */
    static List<Object> loadAll(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Yaml yaml = new Yaml(
                new SafeConstructor(options),
                new Representer(new DumperOptions()),
                new DumperOptions(),
                options,
                new CoreSchemaResolver());
        List<Object> documents = new ArrayList<>();
        try {
            for (Object document : yaml.loadAll(text)) {
                documents.add(document);
            }
        } catch (YAMLException e) {
            // SnakeYAML's message quotes the offending text: keep only where it is
            throw new IllegalArgumentException("not valid YAML" + where(e));
        }
        return documents;
    }

    static String dumpAll(List<?> documents) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        Yaml yaml = new Yaml(options);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                text.append("---\n");
            }
            text.append(yaml.dump(documents.get(i)));
        }
        return text.toString();
    }

    private static String where(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
            return " (line " + (marked.getProblemMark().getLine() + 1) + ")";
        }
        return "";
    }

    /** YAML 1.2 core schema scalars: what sops' own YAML library resolves. */
    private static final class CoreSchemaResolver extends Resolver {
        private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern INT = Pattern.compile("^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$");
        private static final Pattern FLOAT = Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
        private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL)$");
        private static final Pattern EMPTY_NULL = Pattern.compile("^$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY_NULL, null);
        }
    }
}
