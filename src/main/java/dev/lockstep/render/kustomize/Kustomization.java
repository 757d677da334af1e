package dev.lockstep.render.kustomize;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where kustomize looks for a kustomization in a directory, in its own order. */
public final class Kustomization {
    public static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private Kustomization() {}

    /** The kustomization file directly in {@code directory} among {@code paths}, if there is one. */
    public static Optional<String> fileIn(String directory, Set<String> paths) {
        for (String name : FILE_NAMES) {
            String path = directory.isEmpty() ? name : directory + "/" + name;
            if (paths.contains(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
