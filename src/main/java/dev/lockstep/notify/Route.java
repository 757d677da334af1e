package dev.lockstep.notify;

import dev.lockstep.model.NotificationEvent;
import java.util.Set;

/**
 * One entry of the {@code notifications:} list: its name, where it goes and what it wants.
 *
 * @param apps the apps it is for; empty: every app
 */
public record Route(String name, Destination destination, Set<NotificationEvent> events, Set<String> apps) {
    public Route {
        events = Set.copyOf(events);
        apps = Set.copyOf(apps);
    }

    boolean wants(Notice n) {
        return events.contains(n.event()) && (apps.isEmpty() || apps.contains(n.app()));
    }
}
