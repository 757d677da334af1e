package dev.lockstep.cli;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.render.RenderPreflight;
import dev.lockstep.render.RenderSpec;
import dev.lockstep.render.kustomize.KustomizeTools;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every cluster-facing command shares. */
final class ConfigOptions {

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Lockstep configuration (YAML).")
    Path config;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(
            names = {"-a", "--app"},
            paramLabel = "APP",
            description = "Only this app (default: all apps in the config).")
    String app;

    LockstepConfig load() throws ConfigException {
        return load(false);
    }

    /**
     * @param renders the command renders commits (run, sync, diff, render): apps on {@code auto} are warned about a
     *                missing kustomize too, which costs a process start the read-only commands need not pay
     */
    LockstepConfig load(boolean renders) throws ConfigException {
        LockstepConfig selected = select(new ConfigLoader().load(config));
        Map<String, RenderSpec> specs = new LinkedHashMap<>();
        selected.apps().forEach(a -> specs.put(a.name(), a.render()));
        RenderPreflight.Result engines = RenderPreflight.check(specs, new KustomizeTools(), renders);
        if (!engines.warnings().isEmpty()) {
            // looked up here, not in a static field: picocli makes this mixin for every command, `--help` included,
            // and the first logger configures logging (about 600 classes) that `--help` never needs
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConfigOptions.class);
            engines.warnings().forEach(w -> log.warn("{}", w));
        }
        if (!engines.problems().isEmpty()) {
            throw new ConfigException(config.toString(), engines.problems());
        }
        return selected;
    }

    private LockstepConfig select(LockstepConfig loaded) throws ConfigException {
        if (app == null) {
            return loaded;
        }
        return loaded.onlyApp(app)
                .orElseThrow(() -> new ConfigException(
                        config.toString(),
                        List.of("--app " + app + ": no such app (configured: "
                                + String.join(
                                        ", ",
                                        loaded.apps().stream()
                                                .map(AppSpec::name)
                                                .toList()) + ")")));
    }
}
