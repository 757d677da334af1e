package dev.lockstep.render;

import java.util.Objects;

/**
 * How one app's path becomes Kubernetes objects (config {@code render:} and {@code allowRemoteBases}).
 *
 * @param allowRemoteBases lets kustomize fetch remote bases and resources itself; off, they are refused
 */
public record RenderSpec(RenderEngine engine, KustomizeSpec kustomize, HelmSpec helm, boolean allowRemoteBases) {
    public static final RenderSpec DEFAULT =
            new RenderSpec(RenderEngine.AUTO, KustomizeSpec.DEFAULT, HelmSpec.DEFAULT, false);

    public RenderSpec {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(kustomize, "kustomize");
        Objects.requireNonNull(helm, "helm");
    }
}
