package dev.lockstep.render.helm;

/** The chart cannot be rendered; the message names the file, template line or dependency at fault. */
public final class HelmRenderException extends Exception {
    public HelmRenderException(String message) {
        super(message);
    }

    public HelmRenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
