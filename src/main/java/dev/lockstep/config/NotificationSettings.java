package dev.lockstep.config;

import java.util.List;
import java.util.Optional;

/**
 * @param externalUrl   {@code http.externalUrl}: where people reach the status page, for links in messages and
 *                      commit statuses
 * @param destinations  the {@code notifications:} list
 */
public record NotificationSettings(Optional<String> externalUrl, List<NotificationSpec> destinations) {
    public static final NotificationSettings NONE = new NotificationSettings(Optional.empty(), List.of());

    public NotificationSettings {
        destinations = List.copyOf(destinations);
    }
}
