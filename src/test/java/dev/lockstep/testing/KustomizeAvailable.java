package dev.lockstep.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.lockstep.render.kustomize.KustomizeTools;
import dev.lockstep.render.kustomize.KustomizeUnavailable;
import java.util.Optional;

/** Tests that run the real kustomize skip, saying why, on a machine without kustomize v4+ (or kubectl 1.21+). */
public final class KustomizeAvailable {
    private KustomizeAvailable() {}

    public static void assume() {
        try {
            new KustomizeTools().tool(Optional.empty());
        } catch (KustomizeUnavailable e) {
            assumeThat(e.getMessage()).as("no kustomize v4+ here").isNull();
        }
    }
}
