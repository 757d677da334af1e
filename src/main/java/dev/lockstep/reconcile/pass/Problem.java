package dev.lockstep.reconcile.pass;

import java.util.List;

/**
 * Why an app is not simply at its commit: a stalled commit, git or the cluster unreachable, a bug.
 *
 * @param errors each naming commit, file and line where they apply
 */
public record Problem(AppHealth health, String message, List<String> errors) {
    public Problem {
        errors = List.copyOf(errors);
    }

    public static Problem error(String message) {
        return new Problem(AppHealth.ERROR, message, List.of(message));
    }
}
