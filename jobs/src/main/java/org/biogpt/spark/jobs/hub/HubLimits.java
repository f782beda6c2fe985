package org.biogpt.spark.jobs.hub;

import java.time.Duration;

/**
 * How long and how much the Hub client waits and reads before it gives up on a server.
 *
 * @param connectTimeout   opening a connection
 * @param idleTimeout      the longest wait for response headers or for the next bytes of a body
 * @param listingDeadline  the whole of a small answer (the listing): a server that drips bytes just fast
 *                         enough to dodge the idle timeout still ends
 * @param attempts         tries per request or file (the first included); failed file downloads resume
 * @param backoff          the wait before the second try, doubled for each further try
 * @param maxWait          the longest wait between tries, also for a server's {@code Retry-After}
 * @param maxListingBytes  the largest listing read (a repository of tens of thousands of files fits)
 * @param maxIndexBytes    the largest sharded-weights index downloaded
 */
public record HubLimits(Duration connectTimeout, Duration idleTimeout, Duration listingDeadline, int attempts,
                        Duration backoff, Duration maxWait, long maxListingBytes, long maxIndexBytes) {
    public static final HubLimits DEFAULTS = new HubLimits(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(5), 4, Duration.ofSeconds(2), Duration.ofSeconds(60), 32L << 20, 32L << 20);

    public HubLimits {
        for (Duration d : new Duration[] {connectTimeout, idleTimeout, listingDeadline}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("Hub timeouts must be positive, got " + d);
            }
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("Hub attempts must be at least 1, got " + attempts);
        }
        if (backoff == null || backoff.isNegative() || maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("Hub waits must not be negative");
        }
        if (maxListingBytes < 1 || maxIndexBytes < 1) {
            throw new IllegalArgumentException("Hub size caps must be positive");
        }
    }

    /** These limits with another idle timeout and number of attempts (the command line's options). */
    public HubLimits withTimeoutAndAttempts(Duration idle, int tries) {
        return new HubLimits(connectTimeout, idle, listingDeadline, tries, backoff, maxWait, maxListingBytes, maxIndexBytes);
    }

    /** The wait before try {@code next} (2, 3, ...): the doubling backoff, or the server's ask, never above maxWait. */
    Duration waitBefore(int next, Duration serverAsked) {
        Duration d = serverAsked != null ? serverAsked : backoff.multipliedBy(1L << Math.min(20, next - 2));
        return d.compareTo(maxWait) > 0 ? maxWait : d;
    }
}
