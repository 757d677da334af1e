package dev.lockstep.cluster;

/** Where Kubernetes Events go. Posting is best effort: it never fails or slows down a pass. */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = event -> {};

    void post(KubeEvent event);
}
