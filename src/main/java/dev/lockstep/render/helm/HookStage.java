package dev.lockstep.render.helm;

/** Where a Helm hook is applied, relative to the chart's other objects (as Argo CD maps hooks to sync phases). */
public enum HookStage {
    /** {@code pre-install}, {@code pre-upgrade}: applied in a stage before the chart's other objects. */
    BEFORE,
    /** {@code post-install}, {@code post-upgrade}: applied in a stage after them. */
    AFTER
}
