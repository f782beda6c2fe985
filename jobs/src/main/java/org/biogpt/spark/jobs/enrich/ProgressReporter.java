package org.biogpt.spark.jobs.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Prints a progress line every few seconds while a job writes: tasks done, documents processed,
 * documents/s and an ETA against the expected total. Documents are counted as they are processed
 * ({@link WrittenRows}): finished tasks give their final count, running ones the partial count their
 * executor's last heartbeat carried, so one big input file does not show 0 until its task ends.
 * A failed attempt's partial count is dropped.
 */
final class ProgressReporter extends SparkListener implements AutoCloseable {
    private static final long EVERY_MILLIS = 5_000;

    private final SparkSession spark;
    private final String name;
    private final long expected;
    private final long counterId;
    private final long startNanos = System.nanoTime();
    private final AtomicLong finished = new AtomicLong();
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final AtomicInteger tasksDone = new AtomicInteger();
    private final AtomicInteger tasksTotal = new AtomicInteger();
    private final Thread printer;

    ProgressReporter(SparkSession spark, String name, long expected, long counterId) {
        this.spark = spark;
        this.name = name;
        this.expected = expected;
        this.counterId = counterId;
        this.printer = new Thread(this::printLoop, "biogpt-progress");
        this.printer.setDaemon(true);
    }

    static ProgressReporter start(SparkSession spark, String name, long expectedDocuments, WrittenRows counter) {
        ProgressReporter r = new ProgressReporter(spark, name, expectedDocuments, counter.id());
        spark.sparkContext().addSparkListener(r);
        r.printer.start();
        return r;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        tasksTotal.addAndGet(event.stageInfo().numTasks());
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
        for (var task : CollectionConverters.asJava(event.accumUpdates())) {
            Long value = ours(task._4());
            if (value != null) {
                running.put((Long) task._1(), value);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        running.remove(event.taskInfo().taskId());
        if (event.taskInfo().successful()) {
            tasksDone.incrementAndGet();
            Long value = ours(event.taskInfo().accumulables());
            if (value != null) {
                finished.addAndGet(value);
            }
        }
    }

    /** This job's counter in a list of accumulator updates, or null. */
    private Long ours(scala.collection.Seq<AccumulableInfo> infos) {
        for (AccumulableInfo a : CollectionConverters.asJava(infos)) {
            if (a.id() == counterId && a.update().isDefined() && a.update().get() instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    /** Documents processed so far: finished tasks plus the running ones' last reported counts. */
    long processed() {
        return finished.get() + running.values().stream().mapToLong(Long::longValue).sum();
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
        long w = processed();
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
