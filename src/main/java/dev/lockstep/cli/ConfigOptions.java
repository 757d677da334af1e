package dev.lockstep.cli;

import dev.lockstep.config.AppSpec;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Path;
import java.util.List;
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
        LockstepConfig loaded = new ConfigLoader().load(config);
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
