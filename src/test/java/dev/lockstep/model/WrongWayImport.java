package dev.lockstep.model;

import dev.lockstep.reconcile.pass.PassOutcome;

/** Test fixture only: a model class that reaches up into reconcile, which {@code ArchitectureTest} must refuse. */
public final class WrongWayImport {
    private WrongWayImport() {}

    public static PassOutcome upward() {
        return PassOutcome.UNCHANGED;
    }
}
