package dev.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private final ManifestParser parser = new ManifestParser();

    static SourceFile file(String path, String text) {
        return new SourceFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> errors(ParseResult result) {
        return result.errors().stream().map(ManifestError::toString).toList();
    }

    @Test
    void multiDocumentFileSkipsEmptyDocumentsAndKeepsLines() {
        ParseResult result = parser.parse(List.of(file("app/all.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                ---
                ---
                # only a comment
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                """)));

        assertThat(result.ok()).isTrue();
        assertThat(result.manifests())
                .extracting(m -> m.key().toString(), Manifest::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ConfigMap/settings", "app/all.yaml:1"),
                        org.assertj.core.groups.Tuple.tuple("Deployment/shop/web", "app/all.yaml:9"));
        assertThat(result.manifests().get(1).key().group()).isEqualTo("apps");
        assertThat(result.manifests().get(1).apiVersion()).isEqualTo("apps/v1");
    }

    @Test
    void documentLineIsTheLineOfItsFirstKey() {
        ParseResult result = parser.parse(List.of(file("a.yaml", """
                # leading comment

                --- # explicit start
                # another comment
                kind: Service
                apiVersion: v1
                metadata: {name: web}
                """)));

        assertThat(result.manifests())
                .singleElement()
                .extracting(Manifest::location)
                .isEqualTo("a.yaml:5");
    }

    @Test
    void readsJsonAndKeepsQuotedNumbersAsStrings() {
        ParseResult result = parser.parse(List.of(file("svc.JSON", """
                {
                \t"apiVersion": "v1",
                \t"kind": "ConfigMap",
                \t"metadata": {"name": "ports"},
                \t"data": {"port": "3000"},
                \t"replicas": 3000
                }
                """), file("more.yml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: yaml-ports
                data:
                  port: "3000"
                  enabled: "true"
                replicas: 3000
                """)));

        assertThat(result.errors()).isEmpty();
        Manifest json = result.manifests().get(1);
        assertThat(json.location()).isEqualTo("svc.JSON:1");
        assertThat(json.body().get("data")).isEqualTo(Map.of("port", "3000"));
        assertThat(json.body().get("replicas")).isEqualTo(3000);
        Manifest yaml = result.manifests().get(0);
        assertThat(yaml.body().get("data")).isEqualTo(Map.of("port", "3000", "enabled", "true"));
        assertThat(yaml.body().get("replicas")).isEqualTo(3000);
    }

    @Test
    void ignoresFilesThatAreNotYamlOrJsonAndSortsByPath() {
        ParseResult result = parser.parse(List.of(
                file("z/b.YAML", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"),
                file("README.txt", "this: is: not: yaml: {{{"),
                file("deploy.sh", "kubectl apply -f ."),
                file("a.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")));

        assertThat(result.errors()).isEmpty();
        assertThat(result.manifests()).extracting(Manifest::location).containsExactly("a.yml:1", "z/b.YAML:1");
    }

    @Test
    void tabsAsSeparationInsideALineAreAcceptedAsKubectlDoes() {
        ParseResult result = parser.parse(List.of(file(
                "app/tabs.yaml",
                "apiVersion: v1\t\nkind: ConfigMap\t\nmetadata:\t\n  name: \"tabs\"\t# after a quoted value\n"
                        + "data:\t\n  list: '[a,\tb]'\t\n  block: |\t\n    one\ttwo\t\n  last: \"x\ty\"\t\n"
                        + "---\t\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow,\tnamespace: shop}\t\n")));

        assertThat(errors(result)).isEmpty();
        assertThat(result.manifests())
                .extracting(m -> m.key().toString(), Manifest::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ConfigMap/tabs", "app/tabs.yaml:1"),
                        org.assertj.core.groups.Tuple.tuple("ConfigMap/shop/flow", "app/tabs.yaml:11"));
        assertThat(result.manifests().get(0).body().get("data"))
                .as("tabs that are content stay tabs: in quotes and in a literal block")
                .isEqualTo(Map.of("list", "[a,\tb]", "block", "one\ttwo\t\n", "last", "x\ty"));
    }

    @Test
    void aTabInIndentationIsStillRefusedWithItsLine() {
        ParseResult result = parser.parse(
                List.of(file("app/indent.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n")));

        assertThat(errors(result)).singleElement().asString().startsWith("app/indent.yaml:4: invalid YAML");
    }

    @Test
    void duplicateKeyIsReportedAtTheRepeatedKey() {
        ParseResult result = parser.parse(List.of(file("dup.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  color: blue
                  size: large
                  color: red
                """)));

        assertThat(result.ok()).isFalse();
        assertThat(errors(result))
                .containsExactly(
                        "dup.yaml:8: duplicate key 'color' (keys must be unique within a mapping; the mapping starts at line 6)");
    }

    @Test
    void duplicateKeyInJson() {
        ParseResult result = parser.parse(List.of(file("d.json", """
                {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "x"},
                 "kind": "Secret"}
                """)));

        assertThat(errors(result)).singleElement().asString().startsWith("d.json:3: duplicate key 'kind'");
    }

    @Test
    void billionLaughsIsRejected() {
        ParseResult result = parser.parse(List.of(file("lol.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: lol}
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                """)));

        assertThat(result.manifests()).isEmpty();
        assertThat(errors(result)).containsExactly("lol.yaml:7: too many aliases to mappings or sequences (limit 20)");
    }

    @Test
    void aliasAmplificationBelowTheAliasLimitIsStoppedByTheExpandedSize() {
        ManifestParser strict = new ManifestParser(new ParserLimits(1 << 20, 20, 64, 10_000));
        ParseResult result = strict.parse(List.of(file("amp.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: amp}
                a: &a "%s"
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b]
                d: [*c, *c, *c, *c]
                """.formatted("x".repeat(200)))));

        assertThat(errors(result))
                .singleElement()
                .asString()
                .contains("document too large once aliases are expanded (limit 10000)");
    }

    @Test
    void recursiveAliasIsRejected() {
        ParseResult result = parser.parse(List.of(file("loop.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: loop}
                data: &loop
                  self: *loop
                """)));

        assertThat(errors(result))
                .singleElement()
                .asString()
                .startsWith("loop.yaml:4: the structure anchored here contains an alias to itself");
    }

    @Test
    void deepNestingIsRejected() {
        String deep = "[".repeat(100) + "]".repeat(100);
        ParseResult result = parser.parse(List.of(file("deep.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: deep}
                data:
                  x: %s
                """.formatted(deep))));

        assertThat(errors(result)).containsExactly("deep.yaml:5: nesting deeper than 64 levels");
    }

    @Test
    void oversizedFileIsRejectedBeforeParsing() {
        ManifestParser small = new ManifestParser(new ParserLimits(1024, 20, 64, 1 << 20));
        String big =
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: \"" + "a".repeat(2000) + "\"\n";

        ParseResult result = small.parse(List.of(file("big.yaml", big)));

        assertThat(errors(result))
                .containsExactly("big.yaml: file is " + big.length() + " bytes, larger than the limit of 1024 bytes");
        assertThat(new ManifestParser().parse(List.of(file("big.yaml", big))).ok())
                .isTrue();
    }

    @Test
    void defaultSizeLimitIsTwoMebibytes() {
        byte[] content = new byte[2 * 1024 * 1024 + 1];
        java.util.Arrays.fill(content, (byte) '#');

        ParseResult result = parser.parse(List.of(new SourceFile("huge.yaml", content)));

        assertThat(errors(result))
                .containsExactly("huge.yaml: file is 2097153 bytes, larger than the limit of 2097152 bytes");
    }

    @Test
    void missingKindIsReportedAtTheDocument() {
        ParseResult result = parser.parse(List.of(file("m.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: fine}
                ---
                apiVersion: v1
                metadata:
                  name: no-kind
                """)));

        assertThat(errors(result)).containsExactly("m.yaml:5: missing kind");
        assertThat(result.manifests()).extracting(m -> m.key().name()).containsExactly("fine");
    }

    @Test
    void missingMetadataNameIsReportedAtMetadata() {
        ParseResult result = parser.parse(List.of(file("n.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  labels: {app: web}
                ---
                apiVersion: v1
                kind: ConfigMap
                data: {}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: ""
                """)));

        assertThat(errors(result))
                .containsExactly(
                        "n.yaml:4: missing metadata.name",
                        "n.yaml:6: missing metadata.name",
                        "n.yaml:13: metadata.name must be a non-empty string");
    }

    @Test
    void fieldsMustHaveTheRightTypesAndShapes() {
        ParseResult result = parser.parse(List.of(file("t.yaml", """
                apiVersion: 1
                kind: ConfigMap
                metadata:
                  name: Web_App
                  namespace: 42
                ---
                just a string
                ---
                - a
                - list
                """)));

        assertThat(errors(result))
                .containsExactly(
                        "t.yaml:1: apiVersion must be a non-empty string",
                        "t.yaml:4: metadata.name 'Web_App' is not a valid name (lowercase letters, digits, '-' and '.',"
                                + " starting and ending alphanumeric, at most 253)",
                        "t.yaml:5: metadata.namespace must be a string",
                        "t.yaml:7: document is not a mapping (expected a Kubernetes object)",
                        "t.yaml:9: document is not a mapping (expected a Kubernetes object)");
    }

    @Test
    void datesAndBase60NumbersStayTextAsKubectlReadsThem() {
        // what kubectl 1.32 sends for this file (kubectl label --local -o json): the date, the timestamp and 12:30
        // as strings; yes and 0755 as YAML 1.1 makes them
        ParseResult result = parser.parse(List.of(file("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: schedule
                  annotations:
                    released: 2024-01-01
                    startTime: 2022-07-15T11:55:00
                data:
                  window: 12:30
                  long: 1:20:30.5
                spec:
                  enabled: yes
                  mode: 0755
                """)));

        assertThat(errors(result)).isEmpty();
        Map<String, Object> body = result.manifests().get(0).body();
        assertThat(((Map<?, ?>) body.get("metadata")).get("annotations"))
                .isEqualTo(Map.of("released", "2024-01-01", "startTime", "2022-07-15T11:55:00"));
        assertThat(body.get("data")).isEqualTo(Map.of("window", "12:30", "long", "1:20:30.5"));
        assertThat(body.get("spec")).isEqualTo(Map.of("enabled", true, "mode", 493));
    }

    @Test
    void wholeFloatsBecomeIntegersAsKubectlSendsThem() {
        // what kubectl 1.32 sends (kubectl label --local -o json): 3, 1000, -2, 100000000000000000000 and 0.5
        ParseResult result = parser.parse(List.of(file("deploy.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: sizes
                spec:
                  replicas: 3.0
                  target: 1e3
                  neg: -2.0
                  big: 1e20
                  ratio: 0.5
                """)));

        assertThat(errors(result)).isEmpty();
        assertThat(result.manifests().get(0).body().get("spec"))
                .isEqualTo(Map.of(
                        "replicas",
                        3,
                        "target",
                        1000,
                        "neg",
                        -2,
                        "big",
                        new java.math.BigInteger("100000000000000000000"),
                        "ratio",
                        0.5));
    }

    @Test
    void infinityAndNotANumberAreRefusedAsKubectlRefusesThem() {
        // kubectl: "error converting YAML to JSON: json: unsupported value: +Inf"
        ParseResult result = parser.parse(List.of(file("hpa.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: limits
                data:
                  max: "-.inf"
                spec:
                  ceiling: -.inf
                  ratio: .NaN
                """)));

        assertThat(errors(result))
                .containsExactly(
                        "hpa.yaml:8: '-.inf' is not a number JSON can carry (kubectl refuses it too); quote it for a string");
    }

    @Test
    void nonStringKeysAreRejected() {
        ParseResult result = parser.parse(List.of(file("k.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: keys}
                data:
                  on: push
                """)));

        assertThat(errors(result)).containsExactly("k.yaml:5: mapping key is not a string (bool); quote it");
    }

    @Test
    void malformedSecretNeverLeaksItsContentIntoErrors() {
        ParseResult result = parser.parse(List.of(
                file("secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                stringData:
                  user: admin
                  password: hunter2: oops
                """),
                file("secret2.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db2
                stringData:
                  password: "hunter2
                """),
                file("secret3.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db3
                stringData:
                  password: !!timestamp hunter2
                """),
                file("secret4.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db4
                stringData:
                  token: !hunter2 x
                """),
                file("secret5.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: db5}
                stringData:
                  token: *hunter2
                """)));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).hasSize(5);
        assertThat(errors(result)).allSatisfy(e -> assertThat(e).doesNotContain("hunter2"));
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.message()).doesNotContain("hunter2"));
        assertThat(errors(result).get(0)).isEqualTo("secret.yaml:7: invalid YAML: mapping values are not allowed here");
        assertThat(errors(result).get(1))
                .isEqualTo(
                        "secret2.yaml:7: invalid YAML: while scanning a quoted scalar: found unexpected end of stream");
        assertThat(errors(result).get(2)).isEqualTo("secret3.yaml:1: could not load YAML (YAMLException)");
        assertThat(errors(result).get(3))
                .isEqualTo("secret4.yaml:6: invalid YAML: could not determine a constructor for the tag");
        assertThat(errors(result).get(4)).isEqualTo("secret5.yaml:5: invalid YAML: found undefined alias");
    }

    @Test
    void kindListIsExpandedIntoItsItems() {
        ParseResult result = parser.parse(List.of(file("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: Service
                    metadata: {name: web}
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                      namespace: shop
                  - apiVersion: v1
                    kind: ConfigMap
                """)));

        assertThat(result.manifests())
                .extracting(m -> m.key().toString(), Manifest::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Service/web", "list.yaml:4"),
                        org.assertj.core.groups.Tuple.tuple("Deployment/shop/web", "list.yaml:7"));
        assertThat(errors(result)).containsExactly("list.yaml:12: missing metadata.name");
    }

    @Test
    void collectsErrorsFromEveryFile() {
        ParseResult result = parser.parse(List.of(
                file("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"),
                file("a.yaml", "apiVersion: v1\nmetadata: {name: x}\n"),
                file("c.yaml", "key: [unclosed\n"),
                new SourceFile("d.yaml", new byte[] {'a', ':', ' ', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0x28})));

        assertThat(errors(result)).hasSize(3);
        assertThat(errors(result).get(0)).isEqualTo("a.yaml:1: missing kind");
        assertThat(errors(result).get(1)).startsWith("c.yaml:");
        assertThat(errors(result).get(2)).isEqualTo("d.yaml:2: file is not valid UTF-8");
        assertThat(result.manifests()).extracting(Manifest::location).containsExactly("b.yaml:1");
    }

    @Test
    void byteOrderMarkIsAccepted() {
        ParseResult result = parser.parse(
                List.of(file("bom.yaml", "\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata: {name: bom}\n")));

        assertThat(result.errors()).isEmpty();
        assertThat(result.manifests())
                .singleElement()
                .extracting(m -> m.key().name())
                .isEqualTo("bom");
    }

    @Test
    void requireOkGuardsTheManifests() {
        ParseResult bad = parser.parse(List.of(file("a.yaml", "apiVersion: v1\nmetadata: {name: x}\n")));

        org.assertj.core.api.Assertions.assertThatThrownBy(bad::requireOk)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a.yaml:1: missing kind");
    }
}
