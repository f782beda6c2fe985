package org.biogpt.spark.jobs.hub;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.biogpt.spark.jobs.io.SingleByteRead;

/**
 * A response body that cannot block forever. The JDK HTTP client's body stream has no read timeout, so
 * a watchdog closes it (which wakes a blocked read) when no byte arrived for {@code idle}, or when the
 * whole body took longer than {@code deadline}; the read then fails with an {@link IOException} that
 * says which limit ended it.
 */
final class WatchedBody extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-body-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long idleNanos;
    private final long deadlineNanos;
    private final long start = System.nanoTime();
    private final Duration idle;
    private final Duration deadline;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = start;
    private volatile String expired;

    /** @param deadline the longest the whole body may take, or null for no limit beyond the idle timeout */
    WatchedBody(InputStream in, Duration idle, Duration deadline) {
        super(in);
        this.idle = idle;
        this.deadline = deadline;
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = deadline == null ? Long.MAX_VALUE : deadline.toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(idleNanos, deadlineNanos) / 8);
        this.check = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        if (now - lastProgress > idleNanos) {
            expire("no data for " + seconds(idle));
        } else if (now - start > deadlineNanos) {
            expire("the answer took longer than " + seconds(deadline));
        }
    }

    private void expire(String why) {
        expired = why;
        check.cancel(false);
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is being abandoned; the reader learns why from `expired`
        }
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.from(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw expired != null ? new IOException(expired, e) : e;
        }
        if (expired != null) {
            throw new IOException(expired);
        }
        if (n > 0) {
            lastProgress = System.nanoTime();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
