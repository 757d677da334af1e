package dev.lockstep.notify;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.model.ResourceKey;
import java.time.Instant;
import java.util.Optional;

/**
 * One thing to tell people: an event of an app about one commit.
 *
 * @param branch   the branch the app follows (Flux's revision is {@code <branch>@sha1:<sha>})
 * @param commit   the full commit id
 * @param subject  the commit's subject, "" when unknown
 * @param workload the workload it is about, when it is about one
 * @param revision that workload's revision number, 0 when none
 * @param message  what happened, in one line, without secrets
 */
public record Notice(
        String app,
        NotificationEvent event,
        String branch,
        String commit,
        String subject,
        Optional<ResourceKey> workload,
        long revision,
        String message,
        Instant at) {

    public String shortSha() {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }

    /** Flux's form of a revision. */
    public String fluxRevision() {
        return branch + "@sha1:" + commit;
    }
}
