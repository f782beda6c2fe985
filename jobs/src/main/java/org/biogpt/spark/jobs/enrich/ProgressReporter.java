package org.biogpt.spark.jobs.enrich;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Prints a progress line every few seconds while a job writes: tasks done, documents written,
 * documents/s and an ETA against the expected total. Counts come from the tasks' output metrics,
 * so they are exact for finished tasks and do not double-count retries of failed ones.
 */
final class ProgressReporter extends SparkListener implements AutoCloseable {
    private static final long EVERY_MILLIS = 5_000;

    private final SparkSession spark;
    private final String name;
    private final long expected;
    private final long startNanos = System.nanoTime();
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger tasksDone = new AtomicInteger();
    private final AtomicInteger tasksTotal = new AtomicInteger();
    private final Thread printer;

    private ProgressReporter(SparkSession spark, String name, long expected) {
        this.spark = spark;
        this.name = name;
        this.expected = expected;
        this.printer = new Thread(this::printLoop, "biogpt-progress");
        this.printer.setDaemon(true);
    }

    static ProgressReporter start(SparkSession spark, String name, long expectedDocuments) {
        ProgressReporter r = new ProgressReporter(spark, name, expectedDocuments);
        spark.sparkContext().addSparkListener(r);
        r.printer.start();
        return r;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        tasksTotal.addAndGet(event.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        if (event.taskInfo().successful()) {
            tasksDone.incrementAndGet();
            if (event.taskMetrics() != null) {
                written.addAndGet(event.taskMetrics().outputMetrics().recordsWritten());
            }
        }
    }

    private void printLoop() {
        try {
            while (true) {
                Thread.sleep(EVERY_MILLIS);
                System.err.println(line());
            }
        } catch (InterruptedException done) {
            Thread.currentThread().interrupt();
        }
    }

    String line() {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        long w = written.get();
        double rate = w / Math.max(secs, 1e-9);
        String eta = rate > 0 && expected > w ? String.format("%.0f s", (expected - w) / rate) : "-";
        return String.format("%s: tasks %d/%d, documents %d/%d, %.1f docs/s, ETA %s", name, tasksDone.get(),
                tasksTotal.get(), w, expected, rate, eta);
    }

    @Override
    public void close() {
        printer.interrupt();
        spark.sparkContext().removeSparkListener(this);
    }
}
