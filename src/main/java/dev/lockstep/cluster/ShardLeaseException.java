package dev.lockstep.cluster;

/**
 * A Lease of sharding could not be read or written. Always worth retrying, whatever the status: every Lease call is a
 * read or a compare-and-swap, so trying again at the next look is safe, and a replica that cannot renew its Leases
 * stops writing on its own once its renew deadline passes.
 */
public final class ShardLeaseException extends ClusterException {
    private final String lease;

    ShardLeaseException(String message, String lease, int status, Throwable cause) {
        super(message, status, cause);
        this.lease = lease;
    }

    /** The Lease, as {@code namespace/name} (or the namespace alone for a list). */
    public String lease() {
        return lease;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
