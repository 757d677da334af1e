package dev.lockstep.git;

import dev.lockstep.cluster.ObjectApi;

/**
 * Test fixture only: a git class that uses the cluster adapter, a pair {@code ArchitectureTest} does not allow.
 */
public final class WrongAdapterImport {
    private WrongAdapterImport() {}

    public static String sideways(ObjectApi objects) {
        return objects.fieldManager();
    }
}
