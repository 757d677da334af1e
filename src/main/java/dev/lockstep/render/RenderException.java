package dev.lockstep.render;

/** A render that cannot be made: the message names the file and why, and is shown to users as it is. */
public class RenderException extends Exception {
    public RenderException(String message) {
        super(message);
    }
}
