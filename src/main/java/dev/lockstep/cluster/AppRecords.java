package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import java.util.Optional;

/** Where each app's {@link AppRecord} lives between passes and across restarts: in the cluster, never on disk. */
public interface AppRecords {
    Optional<AppRecord> load(String app);

    void save(String app, AppRecord record);
}
