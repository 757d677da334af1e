package dev.lockstep.config;

import dev.lockstep.render.HelmSpec;
import dev.lockstep.render.KustomizeSpec;
import dev.lockstep.render.RenderEngine;
import dev.lockstep.render.RenderSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads an app's {@code render:} block and {@code allowRemoteBases}, naming each bad field. */
final class RenderSettings {
    private static final DurationRange RENDER_TIMEOUT =
            new DurationRange(Duration.ofSeconds(1), Duration.ofMinutes(30));

    /** kustomize flags that run code or read beyond the kustomization: never part of a configured command. */
    private static final List<String> UNSAFE_FLAGS = List.of(
            "--enable-alpha-plugins",
            "--enable-exec",
            "--enable-helm",
            "--enable-star",
            "--helm-command",
            "--load-restrictor",
            "--mount",
            "--network",
            "--network-name");

    private RenderSettings() {}

    static RenderSpec read(FieldReader app) {
        boolean allowRemoteBases = app.bool("allowRemoteBases", false);
        Optional<FieldReader> block = app.object("render");
        if (block.isEmpty()) {
            return new RenderSpec(RenderEngine.AUTO, KustomizeSpec.DEFAULT, HelmSpec.DEFAULT, allowRemoteBases);
        }
        FieldReader r = block.get();
        RenderEngine engine = r.choice("engine", RenderEngine.class, RenderEngine.AUTO);
        KustomizeSpec kustomize =
                r.object("kustomize").map(RenderSettings::kustomize).orElse(KustomizeSpec.DEFAULT);
        HelmSpec helm = r.object("helm").map(RenderSettings::helm).orElse(HelmSpec.DEFAULT);
        r.rejectUnknown();
        return new RenderSpec(engine, kustomize, helm, allowRemoteBases);
    }

    private static KustomizeSpec kustomize(FieldReader r) {
        Optional<List<String>> command = r.orderedStrings("command");
        if (command.isPresent() && command.get().isEmpty()) {
            r.problem("command", "must name a program, e.g. [kustomize, build] or [kubectl, kustomize]");
            command = Optional.empty();
        }
        command.ifPresent(c -> c.stream()
                .filter(arg -> UNSAFE_FLAGS.stream().anyMatch(f -> arg.equals(f) || arg.startsWith(f + "=")))
                .forEach(arg -> r.problem(
                        "command",
                        "'" + arg + "' is not allowed: Lockstep never lets kustomize run plugins, exec functions or"
                                + " Helm, mount or reach files outside the kustomization")));
        Duration timeout = r.duration("timeout", KustomizeSpec.DEFAULT_TIMEOUT, RENDER_TIMEOUT);
        r.rejectUnknown();
        return new KustomizeSpec(command, timeout);
    }

    private static HelmSpec helm(FieldReader r) {
        Optional<String> releaseName = r.string("releaseName");
        releaseName.ifPresent(name -> {
            if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || name.length() > 53) {
                r.problem("releaseName", "'" + name + "' must be a lowercase DNS label of at most 53 characters");
            }
        });
        List<String> valuesFiles = r.orderedStrings("valuesFiles").orElse(List.of());
        var values = r.freeMapping("values");
        boolean skipCrds = r.bool("skipCRDs", false);
        Duration timeout = r.duration("timeout", HelmSpec.DEFAULT_TIMEOUT, RENDER_TIMEOUT);
        r.rejectUnknown();
        return new HelmSpec(releaseName, valuesFiles, values, skipCrds, timeout);
    }
}
