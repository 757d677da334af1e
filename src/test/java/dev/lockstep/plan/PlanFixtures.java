package dev.lockstep.plan;

import dev.lockstep.cluster.LiveObjects;
import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Manifests, commits and port wrappers shared by the plan package's unit tests. */
final class PlanFixtures {
    static final String APP = "shop";
    static final String NS = "shop";
    /** Runs each task on the calling thread: planning and applying become deterministic. */
    static final Executor DIRECT = Runnable::run;

    static final ResourceKey WEB = ResourceKey.of("apps/v1", "Deployment", NS, "web");
    static final ResourceKey SETTINGS = ResourceKey.of("v1", "ConfigMap", NS, "settings");
    static final ResourceKey WEB_SERVICE = ResourceKey.of("v1", "Service", NS, "web");
    static final ResourceKey SHOP_NAMESPACE = ResourceKey.of("v1", "Namespace", "", NS);
    static final ResourceKey WEB_INGRESS = ResourceKey.of("networking.k8s.io/v1", "Ingress", NS, "web");

    private PlanFixtures() {}

    /** A LinkedHashMap from alternating keys and values, so field order (and so difference paths) is predictable. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    static Revision commit(String sha, String subject) {
        return new Revision(
                sha, subject, subject + "\n", "Ada", "ada@example.com", Instant.parse("2024-05-01T09:00:00Z"));
    }

    static Manifest manifest(
            String apiVersion,
            String kind,
            String namespace,
            String name,
            Map<String, Object> rest,
            String file,
            int line) {
        Map<String, Object> metadata =
                namespace.isEmpty() ? map("name", name) : map("name", name, "namespace", namespace);
        Map<String, Object> body = map("apiVersion", apiVersion, "kind", kind, "metadata", metadata);
        body.putAll(rest);
        return new Manifest(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion, body, file, line);
    }

    /** A Helm hook Job {@code name} in {@link #NS}: the chart's {@code annotations} (hook, delete policy) and {@code spec}. */
    static Manifest hookJob(String name, Map<String, Object> annotations, Map<String, Object> spec, String file) {
        return manifest(
                "batch/v1",
                "Job",
                NS,
                name,
                map("metadata", map("name", name, "namespace", NS, "annotations", annotations), "spec", spec),
                file,
                0);
    }

    /** The same manifest, found at another place in the repository. */
    static Manifest at(Manifest m, String file, int line) {
        return new Manifest(m.key(), m.apiVersion(), m.body(), file, line);
    }

    static Manifest configMap(String name, Map<String, Object> data) {
        return manifest("v1", "ConfigMap", NS, name, map("data", data), "app/" + name + ".yaml", 1);
    }

    static Map<String, Object> podTemplate(String image) {
        return map(
                "metadata",
                map("labels", map("app", "web")),
                "spec",
                map("containers", List.of(map("name", "web", "image", image))));
    }

    static Manifest deployment(String name, String image) {
        return manifest(
                "apps/v1",
                "Deployment",
                NS,
                name,
                map(
                        "spec",
                        map(
                                "replicas",
                                2,
                                "selector",
                                map("matchLabels", map("app", "web")),
                                "template",
                                podTemplate(image))),
                "app/" + name + ".yaml",
                1);
    }

    static Manifest service(String name) {
        return manifest(
                "v1",
                "Service",
                NS,
                name,
                map("spec", map("selector", map("app", name), "ports", List.of(map("port", 80)))),
                "app/" + name + "-service.yaml",
                1);
    }

    static Manifest namespace(String name) {
        return manifest("v1", "Namespace", "", name, map(), "app/namespace.yaml", 1);
    }

    static Manifest ingress(String name) {
        return manifest(
                "networking.k8s.io/v1",
                "Ingress",
                NS,
                name,
                map("spec", map("rules", List.of(map("host", "shop.example.com")))),
                "app/" + name + "-ingress.yaml",
                1);
    }

    static Manifest widgetCrd() {
        return manifest(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "",
                "widgets.example.com",
                map(
                        "spec",
                        map(
                                "group",
                                "example.com",
                                "scope",
                                "Namespaced",
                                "names",
                                map("kind", "Widget", "plural", "widgets"),
                                "versions",
                                List.of(map("name", "v1", "served", true, "storage", true)))),
                "crds/widgets.yaml",
                1);
    }

    static Manifest widget(String name) {
        return manifest(
                "example.com/v1", "Widget", NS, name, map("spec", map("size", 3)), "app/" + name + "-widget.yaml", 1);
    }

    /** A change the planner would have made for a manifest: what {@link Applier} gets. */
    static Change change(Manifest m, Action action) {
        return new Change(m, action, ApplyBody.of(m, APP, false), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An object as Lockstep left it in the cluster: its managed-by label is what makes the watch see it. */
    static Map<String, Object> managed(Manifest m, Consumer<Map<String, Object>> extra) {
        Map<String, Object> body = ApplyBody.of(m, APP, false);
        extra.accept(body);
        return body;
    }

    static Map<String, Object> managed(Manifest m) {
        return managed(m, body -> {});
    }

    static void annotate(Map<String, Object> object, String key, String value) {
        dev.lockstep.util.Tree.ensureMap(object, "metadata", "annotations").put(key, value);
    }

    /** A {@link LiveObjects} that forwards to another; tests override the one call they want to break. */
    static class DelegatingLive implements LiveObjects {
        private final LiveObjects delegate;

        DelegatingLive(LiveObjects delegate) {
            this.delegate = delegate;
        }

        @Override
        public void watch(String apiVersion, String kind) {
            delegate.watch(apiVersion, kind);
        }

        @Override
        public Optional<Map<String, Object>> get(String apiVersion, ResourceKey key) {
            return delegate.get(apiVersion, key);
        }

        @Override
        public void expectVersion(ResourceKey key, String resourceVersion) {
            delegate.expectVersion(key, resourceVersion);
        }

        @Override
        public boolean isStale(ResourceKey key) {
            return delegate.isStale(key);
        }

        @Override
        public void onChange(Consumer<ResourceKey> listener) {
            delegate.onChange(listener);
        }
    }
}
