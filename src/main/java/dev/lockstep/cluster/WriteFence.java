package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import java.util.function.BooleanSupplier;

/**
 * Asked before every write to the cluster: false while this replica may not write (it is not, or no longer surely, the
 * leader). A refused write is a retryable {@link ClusterException}, so a pass that loses leadership half way stops
 * before its next write and is retried by whichever replica leads next.
 */
@FunctionalInterface
public interface WriteFence {
    WriteFence OPEN = () -> true;

    boolean mayWrite();

    static WriteFence of(BooleanSupplier mayWrite) {
        return mayWrite::getAsBoolean;
    }

    /** Throws when closed; the message names what was not sent. */
    default void check(String what) {
        if (!mayWrite()) {
            throw new ClusterException(what + " not sent: this replica is not the leader (any more)", 0, null);
        }
    }

    /** Convenience for object writes. */
    default void check(String verb, ResourceKey key) {
        check(verb + " " + key);
    }
}
