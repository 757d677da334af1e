package dev.lockstep.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rewrite itself; {@link HelmChartRendererTest} shows Helm rendering the result. */
class ApiVersionsBindingTest {
    private static final String BOUND = "hasKey (include \"lockstep.apiVersions\" nil | fromJson)";

    @Test
    void bindsEveryCallFormInsideActionsOnly() {
        String template = """
                # .Capabilities.APIVersions.Has "x" in text stays
                {{- if .Capabilities.APIVersions.Has "a/v1" }}
                {{ $.Capabilities.APIVersions.Has "b/v1" }} {{ $caps.APIVersions.Has "c" }}
                {{ if and true (.context.Capabilities.APIVersions.Has .version) }}{{ end }}
                {{ "d" | .Capabilities.APIVersions.Has }}
                """;

        String bound = bind(template);

        assertThat(bound)
                .startsWith("# .Capabilities.APIVersions.Has \"x\" in text stays\n")
                .contains("{{- if " + BOUND + " \"a/v1\" }}")
                .contains("{{ " + BOUND + " \"b/v1\" }} {{ " + BOUND + " \"c\" }}")
                .contains("(" + BOUND + " .version)")
                .contains("{{ \"d\" | " + BOUND + " }}");
        assertThat(bound.lines().count()).isEqualTo(template.lines().count());
    }

    @Test
    void leavesValuesThatAreNotCallsAndTailsOfOtherExpressionsAlone() {
        String template = """
                {{ range .Capabilities.APIVersions }}{{ . }}{{ end }}
                {{ (.ctx).APIVersions.Has "x" }} {{ .Values.HasAPIVersions.Has }}
                """;

        assertThat(bind(template)).isEqualTo(template);
    }

    @Test
    void aTemplateWithoutTheCallIsTheSameBytes() {
        byte[] template = "{{ .Values.x }}\n".getBytes(StandardCharsets.UTF_8);

        assertThat(ApiVersionsBinding.bind(template)).isSameAs(template);
    }

    @Test
    void theHelperListsEachVersionAsAJsonKey() {
        assertThat(ApiVersionsBinding.helper(List.of("v1", "policy/v1beta1/PodDisruptionBudget")))
                .contains("{{- define \"lockstep.apiVersions\" -}}\n"
                        + "{\"v1\":true,\"policy/v1beta1/PodDisruptionBudget\":true}\n{{- end -}}");
    }

    private static String bind(String template) {
        return new String(ApiVersionsBinding.bind(template.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
