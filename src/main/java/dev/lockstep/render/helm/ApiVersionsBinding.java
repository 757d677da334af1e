package dev.lockstep.render.helm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a chart's {@code .Capabilities.APIVersions.Has} answer from the live cluster's discovery.
 *
 * <p>Why a rewrite: helm-java's {@code template} runs Helm client-only and offers no {@code --api-versions}, so
 * Helm's {@code .Capabilities.APIVersions} is its built-in list, the same on every cluster (it holds {@code policy/v1}
 * on 1.20, and no group/version/Kind entry at all). In the chart's private working copy, inside template actions only,
 * each call {@code <ctx>.APIVersions.Has} becomes {@code hasKey (include "lockstep.apiVersions" nil | fromJson)},
 * which answers the same question from the cluster's list, kept in one generated helper template. Helm still renders
 * everything; a line keeps its number, so Helm's errors still name the right file and line.
 *
 * <p>Not bound: {@code .Capabilities.APIVersions} used as a value (ranged over, printed); it stays Helm's list.
 */
final class ApiVersionsBinding {
    static final String HELPER_FILE = "_lockstep_api_versions.tpl";
    static final String HELPER = "lockstep.apiVersions";

    /** A Go template action; charts keep Helm's default delimiters. */
    private static final Pattern ACTION = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);

    /**
     * {@code .Capabilities.APIVersions.Has}, {@code $.Capabilities…}, {@code .context.Capabilities…}, {@code
     * $caps.APIVersions.Has}: a whole field chain, never the tail of a longer word or of {@code (expr)}.
     */
    private static final Pattern HAS =
            Pattern.compile("(?<![\\w$.)])(?:\\$\\w*)?(?:\\.\\w+)*\\.APIVersions\\.Has(?!\\w)");

    private static final String BOUND = "hasKey (include \"" + HELPER + "\" nil | fromJson)";

    private ApiVersionsBinding() {}

    /** The template text with every {@code APIVersions.Has} call bound; the same bytes when there is none. */
    static byte[] bind(byte[] template) {
        String text = new String(template, StandardCharsets.ISO_8859_1);
        if (!text.contains(".APIVersions.Has")) {
            return template;
        }
        Matcher action = ACTION.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        while (action.find()) {
            String bound = HAS.matcher(action.group()).replaceAll(Matcher.quoteReplacement(BOUND));
            action.appendReplacement(out, Matcher.quoteReplacement(bound));
        }
        action.appendTail(out);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The helper template naming every served API version, as a JSON object (one key per version). */
    static String helper(List<String> apiVersions) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < apiVersions.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(jsonEscape(apiVersions.get(i))).append("\":true");
        }
        json.append('}');
        return "{{- /* written by Lockstep: the cluster's discovery, for .Capabilities.APIVersions.Has */ -}}\n"
                + "{{- define \"" + HELPER + "\" -}}\n" + json + "\n{{- end -}}\n";
    }

    private static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
