package dev.lockstep.render.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Conformance on public charts (src/test/resources/charts, sources in its README): the objects Lockstep's engine
 * renders equal the ones Helm's own {@code template} renders through helm-java's API for the same values, compared as
 * parsed objects. Then what Lockstep adds: hooks per stage, CRDs first, the refusals with the file and line Helm names.
 */
class HelmChartRendererTest {
    private static final Path FIXTURES = Path.of("src/test/resources/charts");
    private static final KubeCapabilities K8S_1_20 = new KubeCapabilities(
            "v1.20.2",
            List.of("v1", "apps/v1", "apps/v1/Deployment", "policy/v1beta1", "policy/v1beta1/PodDisruptionBudget"));
    /** As for a cluster whose version is known but whose discovery list was not read: Helm's own list applies. */
    private static final KubeCapabilities K8S_1_20_VERSION_ONLY = new KubeCapabilities("v1.20.2", List.of());

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path repo;

    @BeforeAll
    static void helmLookupIsOfflineForTheReferenceRenderToo() throws Exception {
        // the reference render below calls helm-java directly; it must see the same offline lookup as the engine
        OfflineKubeApi.ensureInstalled();
    }

    private final HelmChartRenderer renderer = new HelmChartRenderer();

    @Test
    void theHelmCreateStarterChartRendersAsHelmTemplateDoes() throws Exception {
        Path chart = fixture("starter");
        Map<String, Object> inline = Map.of("replicaCount", 3, "image", Map.of("tag", "1.27.0"));

        RenderedChart rendered = renderer.render(request(chart, List.of(), inline));

        String helm = helmTemplate(chart, List.of(), Map.of("replicaCount", 3, "image.tag", "1.27.0"));
        assertThat(parsed(rendered.objects())).isEqualTo(parsed(helm)).isNotEmpty();
        assertThat(rendered.chartLabel()).isEqualTo("starter-0.1.0");
        assertThat(rendered.objects())
                .extracting(RenderedDocument::source)
                .contains("starter/templates/deployment.yaml", "starter/templates/service.yaml");
        assertThat(rendered.objects().toString()).contains("replicas: 3", "nginx:1.27.0");
        // the starter's test-connection Pod is a test hook: left out, and said so
        assertThat(rendered.skippedHooks()).containsExactly("starter/templates/tests/test-connection.yaml (test hook)");
        assertThat(rendered.beforeHooks()).isEmpty();
        assertThat(rendered.afterHooks()).isEmpty();
    }

    @Test
    void memcachedWithItsVendoredLibraryChartAndAValuesFileRendersAsHelmTemplateDoes() throws Exception {
        Path chart = fixture("memcached");
        Files.createDirectories(repo.resolve("env/prod"));
        Files.writeString(
                repo.resolve("env/prod/memcached.yaml"),
                "architecture: high-availability\nreplicaCount: 2\npdb:\n  create: true\nmetrics:\n  enabled: true\n");

        RenderedChart rendered =
                renderer.render(request(chart, List.of("../../env/prod/memcached.yaml"), Map.of("replicaCount", 4)));

        String helm = helmTemplate(chart, List.of(repo.resolve("env/prod/memcached.yaml")), Map.of("replicaCount", 4));
        assertThat(parsed(rendered.objects())).isEqualTo(parsed(helm));
        List<Map<String, Object>> objects = parsed(rendered.objects());
        // the values file turned the StatefulSet on, the inline value (merged last) set its replicas
        assertThat(kinds(objects)).contains("StatefulSet", "PodDisruptionBudget");
        assertThat(objects.toString()).contains("replicas=4");
        assertThat(rendered.chartLabel()).isEqualTo("memcached-" + chartVersion(chart));
    }

    @Test
    void phpmyadminWithAConditionalDependencyAndAnArchivedOneRendersAsHelmTemplateDoes() throws Exception {
        Path chart = fixture("phpmyadmin");
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("db.bundleTestDB", true);
        set.put("mariadb.auth.rootPassword", "root-pw");
        set.put("mariadb.auth.password", "user-pw");
        set.put("mariadb.passwordUpdateJob.enabled", true);
        Map<String, Object> inline = Map.of(
                "db",
                Map.of("bundleTestDB", true),
                "mariadb",
                Map.of(
                        "auth", Map.of("rootPassword", "root-pw", "password", "user-pw"),
                        "passwordUpdateJob", Map.of("enabled", true)));

        RenderedChart rendered = renderer.render(request(chart, List.of(), inline));

        // mariadb stamps its pod template with `now` when the password job is on: the one field two renders a second
        // apart may not share
        assertThat(withoutTimestamp(parsed(rendered.objects())))
                .isEqualTo(withoutTimestamp(parsed(helmTemplate(chart, List.of(), set))));
        // the condition switched the vendored mariadb subchart on
        assertThat(rendered.objects())
                .extracting(RenderedDocument::source)
                .contains("phpmyadmin/charts/mariadb/templates/primary/statefulset.yaml");
        // Helm's template leaves hooks out; Lockstep has them, in the stage before the other objects
        assertThat(rendered.beforeHooks())
                .extracting(h -> h.document().source())
                .contains("phpmyadmin/charts/mariadb/templates/update-password/job.yaml");
        HelmHook job = rendered.beforeHooks().stream()
                .filter(h -> h.document().source().endsWith("update-password/job.yaml"))
                .findFirst()
                .orElseThrow();
        assertThat(job.events()).containsExactly("pre-upgrade");
        assertThat(job.deleteBeforeCreation()).isFalse(); // the chart says hook-succeeded
        assertThat(job.document().yaml()).contains("helm.sh/hook: pre-upgrade").doesNotContain("stand-in");
    }

    @Test
    void capabilitiesCarryTheClustersVersionAndItsServedApiVersions() throws Exception {
        Path chart = ownChart("caps");
        write(chart, "templates/pdb.yaml", """
                {{- if semverCompare "<1.21-0" .Capabilities.KubeVersion.Version }}
                apiVersion: policy/v1beta1
                {{- else }}
                apiVersion: policy/v1
                {{- end }}
                kind: PodDisruptionBudget
                metadata:
                  name: web
                  annotations:
                    kube-version: {{ .Capabilities.KubeVersion.Version | quote }}
                    has-policy-v1: {{ .Capabilities.APIVersions.Has "policy/v1" | quote }}
                    has-pdb-v1beta1-kind: {{ .Capabilities.APIVersions.Has "policy/v1beta1/PodDisruptionBudget" | quote }}
                spec:
                  minAvailable: 1
                """);

        RenderedChart rendered = renderer.render(request(chart, K8S_1_20));

        Map<String, Object> pdb = parsed(rendered.objects()).get(0);
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1beta1");
        assertThat(pdb.toString())
                .contains("kube-version=v1.20.2")
                .contains("has-policy-v1=false")
                .contains("has-pdb-v1beta1-kind=true");
    }

    @Test
    void aChartBranchingOnlyOnApiVersionsRendersTheBranchOfTheClusterItGoesTo() throws Exception {
        Path chart = ownChart("pdbkind");
        // the forms real charts use: the root context, $ inside a range, a context passed in a dict (bitnami's
        // common library), a pipeline, and a variable holding .Capabilities
        write(chart, "templates/_helpers.tpl", """
                {{- define "pdb.apiVersion" -}}
                {{- if .context.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" -}}policy/v1{{- else -}}policy/v1beta1{{- end -}}
                {{- end -}}
                """);
        write(chart, "templates/pdb.yaml", """
                {{- $caps := .Capabilities }}
                apiVersion: {{ include "pdb.apiVersion" (dict "context" $) }}
                kind: PodDisruptionBudget
                metadata:
                  name: web
                  annotations:
                    root: {{ .Capabilities.APIVersions.Has "policy/v1" | quote }}
                    pipeline: {{ "policy/v1" | .Capabilities.APIVersions.Has | quote }}
                    variable: {{ $caps.APIVersions.Has "policy/v1" | quote }}
                    {{- range list "a" }}
                    in-range: {{ $.Capabilities.APIVersions.Has "policy/v1" | quote }}
                    {{- end }}
                    # .Capabilities.APIVersions.Has "policy/v1" outside an action is text and stays as written
                spec:
                  minAvailable: 1
                """);
        KubeCapabilities k8s125 =
                new KubeCapabilities("v1.25.0", List.of("v1", "policy/v1", "policy/v1/PodDisruptionBudget"));

        Map<String, Object> on120 =
                parsed(renderer.render(request(chart, K8S_1_20)).objects()).get(0);
        Map<String, Object> on125 =
                parsed(renderer.render(request(chart, k8s125)).objects()).get(0);

        assertThat(on120.get("apiVersion")).isEqualTo("policy/v1beta1");
        assertThat(on125.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(annotations(on120))
                .containsEntry("root", "false")
                .containsEntry("pipeline", "false")
                .containsEntry("variable", "false")
                .containsEntry("in-range", "false");
        assertThat(annotations(on125))
                .containsEntry("root", "true")
                .containsEntry("pipeline", "true")
                .containsEntry("variable", "true")
                .containsEntry("in-range", "true");
    }

    @Test
    void withoutAClusterAChartSeesHelmsBuiltInApiVersions() throws Exception {
        Path chart = ownChart("nocluster");
        write(
                chart,
                "templates/cm.yaml",
                configMap("caps", "")
                        + "data:\n  policy-v1: {{ .Capabilities.APIVersions.Has \"policy/v1\" | quote }}\n");

        RenderedChart rendered = renderer.render(request(chart, KubeCapabilities.UNKNOWN));

        // Helm's own list holds every version its client library knows, whatever the cluster serves
        assertThat(parsed(rendered.objects()).get(0).get("data")).isEqualTo(Map.of("policy-v1", "true"));
    }

    @Test
    void bindingTheApiVersionsKeepsTheLineHelmNamesInAnError() throws Exception {
        Path chart = ownChart("lines");
        write(chart, "templates/cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ if .Capabilities.APIVersions.Has "apps/v1" }}web{{ end }}
                data:
                  password: {{ required "db.password is required" .Values.db.password }}
                """);

        assertThatThrownBy(() -> renderer.render(request(chart, K8S_1_20)))
                .isInstanceOf(HelmRenderException.class)
                .hasMessageContaining("lines/templates/cm.yaml:6:")
                .hasMessageNotContaining(ApiVersionsBinding.HELPER);
    }

    @Test
    void publicChartsRenderAsHelmTemplateWhenTheBoundListIsHelmsOwn() throws Exception {
        // the binding must change nothing but the list: fed Helm's built-in list (read from Helm itself), the public
        // charts, whose bitnami common library calls .context.Capabilities.APIVersions.Has, render exactly as Helm's
        // own template renders them
        KubeCapabilities helmsOwn = new KubeCapabilities("v1.20.2", helmBuiltInApiVersions());
        assertThat(helmsOwn.apiVersions()).contains("apps/v1", "policy/v1").hasSizeGreaterThan(20);
        for (String name : List.of("starter", "memcached", "phpmyadmin")) {
            Path chart = fixture(name);
            RenderedChart rendered = renderer.render(request(chart, helmsOwn));
            assertThat(parsed(rendered.objects()))
                    .as(name)
                    .isEqualTo(parsed(helmTemplate(chart, List.of(), Map.of())))
                    .isNotEmpty();
        }
    }

    @Test
    void lookupFindsNothingAsWithHelmTemplateAndNeverReachesACluster() throws Exception {
        Path chart = ownChart("lookups");
        write(chart, "templates/app.yaml", """
                {{- $secret := lookup "v1" "Secret" "kube-system" "anything" }}
                {{- $all := lookup "apps/v1" "Deployment" "" "" }}
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app
                data:
                  secret: {{ if $secret }}"found"{{ else }}"absent"{{ end }}
                  deployments: {{ len $all | quote }}
                """);

        RenderedChart rendered = renderer.render(request(chart, List.of(), Map.of()));

        assertThat(parsed(rendered.objects()).get(0).get("data"))
                .isEqualTo(Map.of("secret", "absent", "deployments", "0"));
    }

    @Test
    void hooksGoToTheirStagesByWeightWithTheirDeletePolicy() throws Exception {
        Path chart = ownChart("hooks");
        write(chart, "templates/app.yaml", configMap("app", ""));
        write(
                chart,
                "templates/migrate.yaml",
                configMap("migrate", hook("pre-install,pre-upgrade", "5", "hook-succeeded")));
        write(chart, "templates/schema.yaml", configMap("schema", hook("pre-upgrade", "-1", "before-hook-creation")));
        write(chart, "templates/notify.yaml", configMap("notify", hook("post-install", null, null)));
        write(chart, "templates/cleanup.yaml", configMap("cleanup", hook("post-delete", null, null)));

        RenderedChart rendered = renderer.render(request(chart, List.of(), Map.of()));

        assertThat(rendered.beforeHooks())
                .extracting(h -> h.document().source())
                .containsExactly("hooks/templates/schema.yaml", "hooks/templates/migrate.yaml");
        assertThat(rendered.beforeHooks())
                .extracting(HelmHook::deleteBeforeCreation)
                .containsExactly(true, false);
        assertThat(rendered.afterHooks()).singleElement().satisfies(h -> {
            assertThat(h.document().source()).isEqualTo("hooks/templates/notify.yaml");
            assertThat(h.deleteBeforeCreation()).as("Helm's default policy").isTrue();
        });
        assertThat(rendered.objects()).extracting(RenderedDocument::source).containsExactly("hooks/templates/app.yaml");
        assertThat(rendered.skippedHooks())
                .containsExactly("hooks/templates/cleanup.yaml (hook post-delete: not run by Lockstep)");
    }

    @Test
    void crdsComeFirstUnlessSkipped() throws Exception {
        Path chart = ownChart("withcrd");
        write(
                chart,
                "crds/widget.yaml",
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                        + "metadata:\n  name: widgets.example.com\n");
        write(chart, "templates/app.yaml", configMap("app", ""));

        RenderedChart rendered = renderer.render(request(chart, List.of(), Map.of()));
        assertThat(rendered.crds()).singleElement().satisfies(crd -> {
            assertThat(crd.source()).isEqualTo("withcrd/crds/widget.yaml");
            assertThat(crd.yaml()).contains("widgets.example.com");
        });
        assertThat(rendered.objects())
                .extracting(RenderedDocument::source)
                .containsExactly("withcrd/templates/app.yaml");

        HelmRenderRequest skip = request(chart, List.of(), Map.of());
        skip = new HelmRenderRequest(
                skip.repositoryRoot(),
                skip.chartDirectory(),
                List.of(),
                Map.of(),
                "web",
                "prod",
                K8S_1_20,
                true,
                TIMEOUT);
        assertThat(renderer.render(skip).crds()).isEmpty();
    }

    @Test
    void aValuesOnlyChangeChangesTheDigestAndNothingElseDoes() throws Exception {
        Path chart = fixture("starter");
        String first = renderer.render(request(chart, List.of(), Map.of("image", Map.of("tag", "1"))))
                .valuesDigest();
        String again = renderer.render(request(chart, List.of(), Map.of("image", Map.of("tag", "1"))))
                .valuesDigest();
        String changed = renderer.render(request(chart, List.of(), Map.of("image", Map.of("tag", "2"))))
                .valuesDigest();
        assertThat(first).hasSize(12).isEqualTo(again).isNotEqualTo(changed);
    }

    @Test
    void aTemplateErrorNamesTheTemplateFileAndLine() throws Exception {
        Path chart = ownChart("broken");
        write(
                chart,
                "templates/app.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
                        + "  a: {{ .Values.a | nosuchfunction }}\n");

        assertThatThrownBy(() -> renderer.render(request(chart, List.of(), Map.of())))
                .isInstanceOf(HelmRenderException.class)
                .hasMessageContaining("broken/templates/app.yaml:6")
                .hasMessageContaining("function \"nosuchfunction\" not defined")
                .hasMessageNotContaining("--debug");
    }

    @Test
    void aMissingRequiredValueNamesTheTemplateLineAndTheChartsMessage() throws Exception {
        Path chart = ownChart("needs");
        write(
                chart,
                "templates/app.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
                        + "  host: {{ required \"database.host is required\" .Values.database.host }}\n");
        write(chart, "values.yaml", "database: {}\n");

        assertThatThrownBy(() -> renderer.render(request(chart, List.of(), Map.of())))
                .isInstanceOf(HelmRenderException.class)
                .hasMessageContaining("execution error at (needs/templates/app.yaml:6:")
                .hasMessageContaining("database.host is required");
        // given the value, the same chart renders
        assertThat(renderer.render(request(chart, List.of(), Map.of("database", Map.of("host", "db"))))
                        .objects())
                .hasSize(1);
    }

    @Test
    void aDeclaredDependencyThatIsNotVendoredIsRefusedByName() throws Exception {
        Path chart = ownChart("needsdb");
        Files.writeString(
                chart.resolve("Chart.yaml"),
                "apiVersion: v2\nname: needsdb\nversion: 1.0.0\n"
                        + "dependencies:\n  - name: postgresql\n    version: 12.x.x\n    repository: https://charts.example.com\n");
        write(chart, "templates/app.yaml", configMap("app", ""));

        assertThatThrownBy(() -> renderer.render(request(chart, List.of(), Map.of())))
                .isInstanceOf(HelmRenderException.class)
                .hasMessageContaining("charts/needsdb/Chart.yaml: dependency \"postgresql\"")
                .hasMessageContaining("not vendored under charts/");
    }

    @Test
    void aValuesFileOutsideTheRepositoryOrThroughASymlinkIsRefused() throws Exception {
        Path chart = fixture("starter");
        Path outside = Files.createTempFile("outside", ".yaml");
        try {
            assertThatThrownBy(() ->
                            renderer.render(request(chart, List.of("../../../" + outside.getFileName()), Map.of())))
                    .isInstanceOf(HelmRenderException.class)
                    .hasMessage("valuesFiles: ../../../" + outside.getFileName() + " is outside the repository");
            Files.createSymbolicLink(repo.resolve("linked.yaml"), outside);
            assertThatThrownBy(() -> renderer.render(request(chart, List.of("../../linked.yaml"), Map.of())))
                    .isInstanceOf(HelmRenderException.class)
                    .hasMessageContaining("valuesFiles: ../../linked.yaml goes through a symlink");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aRenderPastItsTimeoutIsAbandonedOnANamedDaemonThread() throws Exception {
        Path chart = ownChart("slow");
        // a few hundred million template steps: seconds of Go, far past 200 ms
        write(
                chart,
                "templates/app.yaml",
                "{{- $n := 0 }}{{- range until 20000 }}{{- range until 20000 }}"
                        + "{{- $n = add1 $n }}{{- end }}{{- end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        HelmRenderRequest slow = new HelmRenderRequest(
                repo, chart, List.of(), Map.of(), "web", "prod", K8S_1_20, false, Duration.ofMillis(200));

        long started = System.nanoTime();
        assertThatThrownBy(() -> renderer.render(slow))
                .isInstanceOf(HelmRenderException.class)
                .hasMessageContaining("charts/slow: Helm did not finish rendering within PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().equals("lockstep-helm-slow"))
                .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    }

    // ---- helpers

    private HelmRenderRequest request(Path chart, List<String> valuesFiles, Map<String, Object> values) {
        return new HelmRenderRequest(
                repo, chart, valuesFiles, values, "web", "prod", K8S_1_20_VERSION_ONLY, false, TIMEOUT);
    }

    private HelmRenderRequest request(Path chart, KubeCapabilities capabilities) {
        return new HelmRenderRequest(repo, chart, List.of(), Map.of(), "web", "prod", capabilities, false, TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> object) {
        return (Map<String, Object>) ((Map<String, Object>) object.get("metadata")).get("annotations");
    }

    /** What Helm's template gives a chart as .Capabilities.APIVersions, asked of Helm itself. */
    private List<String> helmBuiltInApiVersions() throws IOException {
        Path probe = ownChart("probe");
        write(
                probe,
                "templates/cm.yaml",
                configMap("probe", "") + "data:\n  versions: {{ .Capabilities.APIVersions | toJson | quote }}\n");
        String yaml =
                new Helm(probe).template().withName("web").withNamespace("prod").call();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) parsed(yaml).get(0).get("data");
        return List.of(
                ((String) data.get("versions")).replaceAll("[\\[\\]\"]", "").split(","));
    }

    /** Helm's own template through helm-java, on the unchanged fixture: values files, then --set values. */
    private static String helmTemplate(Path chart, List<Path> valuesFiles, Map<String, Object> set) {
        TemplateCommand command =
                new Helm(chart).template().withName("web").withNamespace("prod").withKubeVersion("v1.20.2");
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            command = command.set(entry.getKey(), entry.getValue());
        }
        return command.call();
    }

    private Path fixture(String name) throws IOException {
        Path target = repo.resolve("charts").resolve(name);
        Path source = FIXTURES.resolve(name);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.toList()) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to);
                }
            }
        }
        return target;
    }

    private Path ownChart(String name) throws IOException {
        Path chart = repo.resolve("charts").resolve(name);
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
        return chart;
    }

    private static void write(Path chart, String file, String content) throws IOException {
        Files.createDirectories(chart.resolve(file).getParent());
        Files.writeString(chart.resolve(file), content);
    }

    private static String configMap(String name, String annotations) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n" + annotations;
    }

    private static String hook(String events, String weight, String deletePolicy) {
        StringBuilder text = new StringBuilder("  annotations:\n    \"helm.sh/hook\": " + events + "\n");
        if (weight != null) {
            text.append("    \"helm.sh/hook-weight\": \"").append(weight).append("\"\n");
        }
        if (deletePolicy != null) {
            text.append("    \"helm.sh/hook-delete-policy\": ")
                    .append(deletePolicy)
                    .append('\n');
        }
        return text.toString();
    }

    private static String chartVersion(Path chart) throws IOException {
        return Files.readAllLines(chart.resolve("Chart.yaml")).stream()
                .filter(l -> l.startsWith("version:"))
                .map(l -> l.substring("version:".length()).strip())
                .findFirst()
                .orElseThrow();
    }

    private static List<Map<String, Object>> parsed(List<RenderedDocument> documents) {
        return parsed(String.join(
                "---\n", documents.stream().map(RenderedDocument::yaml).toList()));
    }

    /** Every object, sorted by kind, namespace and name so that only content is compared. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parsed(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        objects.sort(Comparator.comparing(HelmChartRendererTest::identity));
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static String identity(Map<String, Object> object) {
        Map<String, Object> metadata = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
        return object.get("kind") + "/" + Objects.toString(metadata.get("namespace"), "") + "/" + metadata.get("name");
    }

    private static String withoutTimestamp(List<Map<String, Object>> objects) {
        return objects.toString().replaceAll("charts.bitnami.com/password-last-update=\\d+", "<now>");
    }

    private static List<Object> kinds(List<Map<String, Object>> objects) {
        return objects.stream().map(o -> o.get("kind")).toList();
    }
}
