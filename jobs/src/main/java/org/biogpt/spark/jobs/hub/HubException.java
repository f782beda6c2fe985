package org.biogpt.spark.jobs.hub;

/** A Hub request that failed for a reason the user can act on (auth, not found, checksum). */
public final class HubException extends RuntimeException {
    private final int status;

    public HubException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the failure is not an HTTP status (e.g. a checksum mismatch). */
    public int status() {
        return status;
    }
}
