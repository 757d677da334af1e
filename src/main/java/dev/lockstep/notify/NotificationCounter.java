package dev.lockstep.notify;

/** Where deliveries are counted ({@code lockstep_notifications_total{destination,event,result}}). */
@FunctionalInterface
public interface NotificationCounter {
    String SENT = "sent";
    String FAILED = "failed";
    String DROPPED = "dropped";

    NotificationCounter NONE = (destination, event, result) -> {};

    /** @param result {@link #SENT}, {@link #FAILED} or {@link #DROPPED} (the queue was full) */
    void count(String destination, String event, String result);
}
