package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import java.util.Optional;

/** Where each app's {@link AppRecord} lives between passes and across restarts: in the cluster, never on disk. */
public interface AppRecords {
    Optional<AppRecord> load(String app);

    void save(String app, AppRecord record);

    /**
     * The value of {@link dev.lockstep.model.MetadataKeys#CONFIRM_PRUNE} on the app's record: a person's
     * confirmation of a held prune. Read only while a prune is held.
     */
    Optional<String> pruneConfirmation(String app);

    /** Sets that annotation, as {@code lockstep prune --confirm} and {@code kubectl annotate} do. */
    void confirmPrune(String app, String token);
}
