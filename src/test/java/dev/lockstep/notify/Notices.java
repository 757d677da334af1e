package dev.lockstep.notify;

import dev.lockstep.model.NotificationEvent;
import dev.lockstep.model.ResourceKey;
import java.time.Instant;
import java.util.Optional;

/** Notices for tests. */
final class Notices {
    static final String SHA = "3f2a9c1d4e5b6a7980123456789abcdef0123456";

    private Notices() {}

    static Notice of(NotificationEvent event) {
        return new Notice(
                "shop",
                event,
                "main",
                SHA,
                "v3: bump image",
                Optional.of(ResourceKey.of("apps/v1", "Deployment", "shop", "web")),
                3,
                "Deployment shop/web revision 3: progress deadline exceeded",
                Instant.parse("2026-12-06T18:00:00Z"));
    }
}
