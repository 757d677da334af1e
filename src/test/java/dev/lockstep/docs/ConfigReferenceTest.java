package dev.lockstep.docs;

import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.lockstep.config.ConfigKeys;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every key the loader accepts ({@link ConfigKeys}, the list it refuses unknown keys
 * with), and nothing else. The reference has one table per mapping, under a heading naming it in a code span
 * ({@code `apps[].repo`}; "Top level" for the file's own keys), each table starting {@code | key |}.
 */
class ConfigReferenceTest {
    private static final Path REFERENCE = Path.of("docs", "configuration.md");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern KEY_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|.*");

    @Test
    void theReferenceListsEveryAcceptedKeyAndNothingElse() {
        Set<String> accepted = new LinkedHashSet<>();
        ConfigKeys.SECTIONS.forEach((section, keys) -> keys.forEach(k -> accepted.add(qualified(section, k))));

        Set<String> documented = documentedKeys(MarkdownFile.read(REFERENCE));

        Set<String> undocumented = new LinkedHashSet<>(accepted);
        undocumented.removeAll(documented);
        Set<String> unknown = new LinkedHashSet<>(documented);
        unknown.removeAll(accepted);
        assertSoftly(softly -> {
            softly.assertThat(undocumented)
                    .as("keys the loader accepts (ConfigKeys) that %s does not list", REFERENCE)
                    .isEmpty();
            softly.assertThat(unknown)
                    .as("keys %s lists that the loader does not accept (ConfigKeys)", REFERENCE)
                    .isEmpty();
        });
    }

    /** Keys of every {@code | key |} table, qualified by the mapping its heading names. */
    static Set<String> documentedKeys(MarkdownFile file) {
        Set<String> out = new LinkedHashSet<>();
        List<String> lines = file.prose();
        String section = null;
        boolean inKeyTable = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                Matcher code = CODE_SPAN.matcher(line);
                section = code.find() ? code.group(1) : line.toLowerCase().contains("top level") ? "" : null;
                inKeyTable = false;
            } else if (line.matches("^\\|\\s*key\\s*\\|.*")) {
                inKeyTable = true;
            } else if (!line.startsWith("|")) {
                inKeyTable = false;
            } else if (inKeyTable) {
                Matcher row = KEY_ROW.matcher(line);
                if (row.matches()) {
                    out.add(qualified(section == null ? "(no section)" : section, row.group(1)));
                }
            }
        }
        return out;
    }

    private static String qualified(String section, String key) {
        return section.isEmpty() ? key : section + "." + key;
    }
}
