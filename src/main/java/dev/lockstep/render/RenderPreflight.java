package dev.lockstep.render;

import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.render.kustomize.KustomizeUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The start-up check of the engines the config asks for: an app that names kustomize ({@code engine: kustomize} or a
 * {@code kustomize.command}) cannot start without a usable kustomize v4+, a config error naming the version found.
 * Apps on {@code auto} only get a warning: they may hold no kustomization at all, and a commit that does stalls
 * with the same message. Only daemon and sync-like commands ask about {@code auto} apps: a process start costs every
 * command that merely reads the cluster ({@code status}, {@code history}) a tenth of a second or more.
 */
public final class RenderPreflight {
    /** @param problems config errors; @param warnings for the log */
    public record Result(List<String> problems, List<String> warnings) {}

    private RenderPreflight() {}

    /** @param includeAuto also ask for apps on {@code auto}, for a warning only */
    public static Result check(Map<String, RenderSpec> apps, KustomizeTools tools, boolean includeAuto) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        apps.forEach((app, spec) -> {
            boolean named = spec.engine() == RenderEngine.KUSTOMIZE
                    || spec.kustomize().command().isPresent();
            if (!named && (spec.engine() != RenderEngine.AUTO || !includeAuto)) {
                return;
            }
            try {
                tools.tool(spec.kustomize().command());
            } catch (KustomizeUnavailable e) {
                (named ? problems : warnings)
                        .add("app " + app + ": render.kustomize: " + e.getMessage()
                                + (named ? "" : " (only a commit with a kustomization needs it)"));
            }
        });
        return new Result(problems, warnings);
    }
}
