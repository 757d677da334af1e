package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * fabric8's {@link Config} from a kubeconfig without fabric8's class-path scan. fabric8 parses a kubeconfig with its
 * shared serialization, whose first use instantiates every model class it can find (about 640 classes, a third of a
 * cold {@code history}'s CPU), although a kubeconfig needs none of them. Here the same mapper, set up as fabric8 sets
 * it up, parses it without that search, and fabric8's own {@link KubeConfigUtils#merge} applies it: contexts, clusters,
 * users, exec and auth-provider plugins, tokens, certificates, impersonation, proxies are fabric8's code, unchanged.
 *
 * <p>Without {@code --kubeconfig}, fabric8 also reads {@code KUBERNETES_*} variables and {@code kubernetes.*} system
 * properties, looks for an in-cluster service account when no kubeconfig exists, merges several files of
 * {@code KUBECONFIG}, resolves relative paths against their file, and re-reads the kubeconfig to refresh an exec or
 * auth-provider token. Those cases are left to fabric8's own autoconfiguration ({@link #auto} is then empty, and the
 * caller lets fabric8 configure itself, scan included).
 */
public final class QuickKubeconfig {
    private QuickKubeconfig() {}

    /** What {@code Config.fromKubeconfig(contents)} gives, parsed without the scan. */
    public static Config fromContents(String contents) {
        Config config = Config.empty();
        KubeConfigUtils.merge(config, null, parse(contents));
        return config;
    }

    /**
     * What fabric8's autoconfiguration gives, when it would only read one kubeconfig file with absolute paths, no
     * plugin and no {@code KUBERNETES_*} settings; empty otherwise (the caller then lets fabric8 configure itself).
     */
    public static Optional<Config> auto(Map<String, String> env, Map<Object, Object> systemProperties) {
        if (env.keySet().stream().anyMatch(k -> k.startsWith("KUBERNETES_"))
                || systemProperties.keySet().stream()
                        .anyMatch(k -> String.valueOf(k).startsWith("kubernetes."))) {
            return Optional.empty();
        }
        Collection<String> files = Config.getKubeconfigFilenames();
        if (files.size() != 1) {
            return Optional.empty();
        }
        File file = new File(files.iterator().next());
        if (!file.isFile()) {
            return Optional.empty();
        }
        String contents;
        try {
            contents = java.nio.file.Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return Optional.empty(); // fabric8 reports it in its own words
        }
        io.fabric8.kubernetes.api.model.Config parsed = parse(contents);
        if (!plain(parsed)) {
            return Optional.empty();
        }
        Config config = Config.empty();
        KubeConfigUtils.merge(config, null, parsed);
        config.setAutoConfigure(true); // as fabric8 marks it: a refresh after a 401 configures itself again, fully
        return Optional.of(config);
    }

    /** No plugin (its token is refreshed by re-reading the kubeconfig) and no relative path (resolved per file). */
    static boolean plain(io.fabric8.kubernetes.api.model.Config kubeconfig) {
        List<String> paths = new ArrayList<>();
        for (NamedAuthInfo named : Objects.requireNonNullElse(kubeconfig.getUsers(), List.<NamedAuthInfo>of())) {
            AuthInfo user = named.getUser();
            if (user == null) {
                continue;
            }
            if (user.getExec() != null || user.getAuthProvider() != null) {
                return false;
            }
            Stream.of(user.getClientCertificate(), user.getClientKey(), user.getTokenFile())
                    .filter(Objects::nonNull)
                    .forEach(paths::add);
        }
        for (NamedCluster named : Objects.requireNonNullElse(kubeconfig.getClusters(), List.<NamedCluster>of())) {
            Cluster cluster = named.getCluster();
            if (cluster != null && cluster.getCertificateAuthority() != null) {
                paths.add(cluster.getCertificateAuthority());
            }
        }
        return paths.stream().allMatch(p -> Path.of(p).isAbsolute());
    }

    /** fabric8's mapper as its default serialization builds it, minus the search of the class path for model types. */
    static io.fabric8.kubernetes.api.model.Config parse(String contents) {
        JsonMapper mapper = JsonMapper.builderWithJackson2Defaults()
                .addModule(new Jackson2JdkTypesModule())
                .build();
        return new KubernetesSerialization(mapper, false)
                .unmarshal(contents, io.fabric8.kubernetes.api.model.Config.class);
    }
}
