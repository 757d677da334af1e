package dev.lockstep.cluster;

/** An API call failed. {@code status} is the HTTP code (0 when the server was not reached). */
public class ClusterException extends RuntimeException {
    private final int status;

    /**
     * @param status the HTTP status; anything not positive means no answer came (fabric8 reports a transport failure,
     *     such as a connection reset during an outage, as -1) and is kept as 0
     */
    public ClusterException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = Math.max(status, 0);
    }

    public int status() {
        return status;
    }

    /**
     * The cluster failure behind an asynchronous call's {@code cause}. Anything else is a bug in Lockstep, not a
     * cluster failure, and is rethrown as it is so it is never retried as if it were transient.
     */
    public static ClusterException expected(Throwable cause) {
        if (cause instanceof ClusterException ce) {
            return ce;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }

    /** 5xx, 429, 409 and transport failures are worth retrying; 4xx validation errors are not. */
    public boolean retryable() {
        return status == 0 || status == 409 || status == 429 || status >= 500;
    }
}
