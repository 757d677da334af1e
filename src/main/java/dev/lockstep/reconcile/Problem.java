package dev.lockstep.reconcile;

import java.util.List;

/**
 * Why an app is not simply at its commit: a stalled commit, git or the cluster unreachable, a bug.
 *
 * @param errors each naming commit, file and line where they apply
 */
record Problem(AppHealth health, String message, List<String> errors) {
    Problem {
        errors = List.copyOf(errors);
    }

    static Problem error(String message) {
        return new Problem(AppHealth.ERROR, message, List.of(message));
    }
}
