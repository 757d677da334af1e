package dev.lockstep.render;

/** Config {@code render.engine}. */
public enum RenderEngine {
    /** A kustomization at the app's path means kustomize, a Chart.yaml means helm; otherwise plain files. */
    AUTO,
    /** The files as they are; a kustomization file is read only as a plain list of files. */
    PLAIN,
    KUSTOMIZE,
    HELM
}
