package dev.lockstep.render;

import java.util.List;

/**
 * A render that cannot be made: each problem names the file and why, and is shown to users as it is (one line each on
 * the status page, so a kustomization with two refused entries shows two).
 */
public class RenderException extends Exception {
    private final List<String> problems;

    public RenderException(String message) {
        this(List.of(message));
    }

    public RenderException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
