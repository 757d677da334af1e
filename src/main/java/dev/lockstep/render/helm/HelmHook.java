package dev.lockstep.render.helm;

import java.util.List;

/**
 * A hook object of the chart, to apply in its stage.
 *
 * @param events the {@code helm.sh/hook} events, as written
 * @param weight {@code helm.sh/hook-weight} (0 when absent); hooks of one stage go in ascending weight
 * @param deleteBeforeCreation {@code helm.sh/hook-delete-policy} names {@code before-hook-creation}: the applier
 *     deletes the previous object of that name before it creates this one (a Job's template cannot be changed)
 */
public record HelmHook(
        RenderedDocument document, HookStage stage, List<String> events, int weight, boolean deleteBeforeCreation) {
    public HelmHook {
        events = List.copyOf(events);
    }
}
