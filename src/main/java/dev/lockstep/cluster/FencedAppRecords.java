package dev.lockstep.cluster;

import dev.lockstep.model.AppRecord;
import java.util.Optional;

/** {@link AppRecords} whose saves pass a {@link WriteFence} first. */
final class FencedAppRecords implements AppRecords {
    private final AppRecords delegate;
    private final WriteFence fence;

    FencedAppRecords(AppRecords delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public Optional<AppRecord> load(String app) {
        return delegate.load(app);
    }

    @Override
    public void save(String app, AppRecord record) {
        fence.check("save of app " + app + "'s record");
        delegate.save(app, record);
    }

    @Override
    public Optional<String> pruneConfirmation(String app) {
        return delegate.pruneConfirmation(app);
    }

    @Override
    public void confirmPrune(String app, String token) {
        fence.check("prune confirmation of app " + app);
        delegate.confirmPrune(app, token);
    }
}
