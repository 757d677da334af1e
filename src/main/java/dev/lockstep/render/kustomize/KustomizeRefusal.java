package dev.lockstep.render.kustomize;

import java.util.List;

/** Problems found before kustomize runs, each naming the kustomization file and field. */
final class KustomizeRefusal extends Exception {
    private final List<String> problems;

    KustomizeRefusal(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
