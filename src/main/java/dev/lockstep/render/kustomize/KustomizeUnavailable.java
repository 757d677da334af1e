package dev.lockstep.render.kustomize;

/** No usable kustomize: not installed, not runnable, or older than v4. The message says which and what to do. */
public final class KustomizeUnavailable extends Exception {
    public KustomizeUnavailable(String message) {
        super(message);
    }
}
