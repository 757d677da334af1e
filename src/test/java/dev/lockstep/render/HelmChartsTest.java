package dev.lockstep.render;

import static dev.lockstep.render.RenderResults.find;
import static dev.lockstep.render.RenderResults.ok;
import static dev.lockstep.render.RenderResults.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.GitSource;
import dev.lockstep.git.GitSources;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.Revision;
import dev.lockstep.plan.Stage;
import dev.lockstep.render.helm.KubeCapabilities;
import dev.lockstep.render.kustomize.KustomizeRenderer;
import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.testing.GitRepoFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render step's helm engine over a real git repository: {@code engine: auto} with a Chart.yaml at the path means
 * helm; values files anywhere in the repository, inline values last; the cluster's version reaches the chart; each
 * object is named by its template file; hooks land in their apply stages; history's label names chart and values.
 */
class HelmChartsTest {
    @TempDir
    Path tmp;

    GitRepoFixture repo;
    GitSources sources;
    GitSource git;
    Renderer renderer;

    @BeforeEach
    void setUp() {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        sources = new GitSources(tmp.resolve("cache"));
        git = sources.of(new RepoSpec(repo.url(), "main", GitCredentials.none()));
        renderer = new Renderer(
                new KustomizeRenderer(tmp.resolve("cache/render"), new KustomizeTools()),
                Clock.systemUTC(),
                tmp.resolve("cache/render-helm"),
                () -> new KubeCapabilities("v1.20.2", List.of()));
    }

    @AfterEach
    void tearDown() {
        sources.close();
    }

    @Test
    void aChartAtThePathIsRenderedByHelmWithValuesFilesInlineValuesAndTheClustersVersion() throws Exception {
        writeChart("1.0.0");
        repo.write("env/prod/web-values.yaml", "image:\n  tag: \"2.0\"\nreplicaCount: 2\n");
        Revision commit = publish("chart v1");
        RenderSpec spec = helm(List.of("../../env/prod/web-values.yaml"), Map.of("replicaCount", 3));

        RenderResult.Ok ok = ok(renderer.render("web", "prod", spec, "charts/web", new GitTree(git, commit.commit())));
        List<Manifest> objects = parse(ok, "prod");

        Manifest deployment = find(objects, "Deployment");
        assertThat(deployment.file()).isEqualTo("charts/web/templates/deployment.yaml");
        assertThat(deployment.key().name()).isEqualTo("web-web");
        assertThat(deployment.key().namespace()).isEqualTo("prod");
        assertThat(deployment.body().toString())
                .contains("replicas=3") // inline values are merged last
                .contains("image=nginx:2.0") // the values file overrides values.yaml
                .doesNotContain("config.kubernetes.io/origin");
        assertThat(find(objects, "PodDisruptionBudget").apiVersion()).isEqualTo("policy/v1beta1");
        assertThat(ok.rendered().engine()).matches("helm chart web-1\\.0\\.0 values [0-9a-f]{12}");
        // the migration hook is applied in the stage before the chart's other objects; the test hook is left out
        assertThat(Stage.of(find(objects, "Job"))).isEqualTo(Stage.HELM_HOOKS_BEFORE);
        assertThat(Stage.of(deployment)).isEqualTo(Stage.WORKLOADS);
        assertThat(objects).extracting(m -> m.key().name()).doesNotContain("web-test");
    }

    @Test
    void aValuesOnlyCommitChangesOnlyTheValuesDigestInTheEngineLabel() throws Exception {
        writeChart("1.0.0");
        repo.write("env/prod/web-values.yaml", "image:\n  tag: \"2.0\"\n");
        Revision first = publish("v1");
        repo.write("env/prod/web-values.yaml", "image:\n  tag: \"2.1\"\n");
        Revision second = publish("image 2.1");
        RenderSpec spec = helm(List.of("../../env/prod/web-values.yaml"), Map.of());

        String before = ok(renderer.render("web", "prod", spec, "charts/web", new GitTree(git, first.commit())))
                .rendered()
                .engine();
        String after = ok(renderer.render("web", "prod", spec, "charts/web", new GitTree(git, second.commit())))
                .rendered()
                .engine();

        assertThat(before).startsWith("helm chart web-1.0.0 values ");
        assertThat(after).startsWith("helm chart web-1.0.0 values ").isNotEqualTo(before);
    }

    @Test
    void aValuesFileOutsideTheRepositoryStallsNamingIt() throws Exception {
        writeChart("1.0.0");
        Revision commit = publish("v1");
        RenderSpec spec = helm(List.of("../../../outside.yaml"), Map.of());

        RenderResult result = renderer.render("web", "prod", spec, "charts/web", new GitTree(git, commit.commit()))
                .orElseThrow();

        assertThat(result).isInstanceOf(RenderResult.Refused.class);
        assertThat(((RenderResult.Refused) result).errors())
                .containsExactly("charts/web/Chart.yaml: valuesFiles: ../../../outside.yaml is outside the repository");
    }

    @Test
    void aRequiredValueMissingStallsWithHelmsTemplateAndLine() throws Exception {
        writeChart("1.0.0");
        repo.write(
                "charts/web/templates/needs.yaml", "{{ required \"database.host is required\" .Values.database }}\n");
        Revision commit = publish("v1");

        RenderResult result = renderer.render(
                        "web", "prod", helm(List.of(), Map.of()), "charts/web", new GitTree(git, commit.commit()))
                .orElseThrow();

        assertThat(result).isInstanceOf(RenderResult.Refused.class);
        assertThat(((RenderResult.Refused) result).errors().get(0))
                .contains("execution error at (web/templates/needs.yaml:1:3): database.host is required");
    }

    private void writeChart(String version) {
        repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: " + version + "\n");
        repo.write("charts/web/values.yaml", "replicaCount: 1\nimage:\n  tag: \"1.0\"\n");
        repo.write("charts/web/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}-{{ .Chart.Name }}
                  namespace: {{ .Release.Namespace }}
                spec:
                  replicas: {{ .Values.replicaCount }}
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: nginx:{{ .Values.image.tag }}
                """);
        repo.write("charts/web/templates/pdb.yaml", """
                {{- if semverCompare "<1.21-0" .Capabilities.KubeVersion.Version }}
                apiVersion: policy/v1beta1
                {{- else }}
                apiVersion: policy/v1
                {{- end }}
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels: {app: web}
                """);
        repo.write("charts/web/templates/migrate.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: web-migrate
                  annotations:
                    helm.sh/hook: pre-install,pre-upgrade
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: nginx:{{ .Values.image.tag }}
                """);
        repo.write("charts/web/templates/tests/test.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-test
                  annotations:
                    helm.sh/hook: test
                spec:
                  containers:
                    - name: t
                      image: busybox
                """);
    }

    private static RenderSpec helm(List<String> valuesFiles, Map<String, Object> values) {
        return new RenderSpec(
                RenderEngine.AUTO,
                KustomizeSpec.DEFAULT,
                new HelmSpec(Optional.empty(), valuesFiles, values, false, Duration.ofSeconds(60)),
                false);
    }

    private Revision publish(String message) throws Exception {
        String head = repo.commit(message);
        git.fetch();
        return git.revision(head);
    }
}
