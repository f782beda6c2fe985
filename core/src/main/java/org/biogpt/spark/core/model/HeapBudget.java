package org.biogpt.spark.core.model;

import java.util.Locale;

/**
 * Whether the decode kernel's packed weights (a float copy of every linear, on the Java heap)
 * fit beside what the JVM already holds, leaving room for the rest of the work: a quarter of the
 * maximum heap, at least 256 MiB, stays free for Spark's rows, batches and logits. Where they do
 * not fit the model keeps decode steps on DJL/MKL rather than risk an OutOfMemoryError mid-job.
 */
final class HeapBudget {
    static final long MIN_RESERVE = 256L << 20;

    private HeapBudget() {
    }

    /**
     * Why {@code bytes} more may not go on this JVM's heap now; null when they may. The heap's use
     * counts garbage too, so before refusing it collects once and looks again (a long Spark task
     * may have left gigabytes of dead rows; asked once per model, so the full GC is rare).
     */
    static String refusal(long bytes) {
        String why = refusal(bytes, Runtime.getRuntime());
        if (why != null) {
            System.gc();
            why = refusal(bytes, Runtime.getRuntime());
        }
        return why;
    }

    private static String refusal(long bytes, Runtime rt) {
        return refusal(bytes, rt.maxMemory(), rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param max  the heap's limit (-Xmx)
     * @param used bytes the heap holds now (garbage included: an overestimate, on the safe side)
     */
    static String refusal(long bytes, long max, long used) {
        long reserve = Math.max(MIN_RESERVE, max / 4);
        if (used + bytes + reserve <= max) {
            return null;
        }
        long need = Math.max(used + bytes + MIN_RESERVE, (used + bytes) * 4 / 3 + 1);   // smallest max that passes
        return String.format(Locale.ROOT, "its packed weights (%d MiB) do not fit in the Java heap (max %d MiB, %d MiB in use,"
                + " %d MiB kept free); give the JVM at least -Xmx%dm (BIOGPT_JAVA_OPTS, spark.driver.memory or spark.executor.memory)",
                mib(bytes), mib(max), mib(used), mib(reserve), (need + (1 << 20) - 1) >> 20);
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
