package dev.lockstep.reconcile.pass;

import dev.lockstep.reconcile.report.ReconcileListener;

/** Test fixture only: a pass class that tells a listener itself, which {@code ArchitectureTest} must refuse. */
public final class WrongWayReport {
    private WrongWayReport() {}

    public static void tell(ReconcileListener listener) {
        listener.gitError("app", "reported from inside a pass");
    }
}
