package org.biogpt.spark.udfs.metrics;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Counters of one stage's {@code transform}, as named Spark accumulators (they show in the UI and
 * reach the driver with each task's result). Executors add to them; the driver reads
 * {@link #snapshot()} and {@link MetricsLogger} logs them when a Spark stage that touched them ends.
 *
 * <p>Like any accumulator updated inside a transformation, values count every evaluation: a
 * DataFrame computed twice (no cache) or a retried task counts twice.
 */
public final class StageMetrics implements Serializable {
    private final String name;
    private final LongAccumulator documents;
    private final LongAccumulator tokens;
    private final LongAccumulator batches;
    private final LongAccumulator errors;
    private final LongAccumulator modelLoadMillis;

    private StageMetrics(SparkContext sc, String name) {
        this.name = name;
        this.documents = sc.longAccumulator(name + ".documents");
        this.tokens = sc.longAccumulator(name + ".tokens");
        this.batches = sc.longAccumulator(name + ".batches");
        this.errors = sc.longAccumulator(name + ".errors");
        this.modelLoadMillis = sc.longAccumulator(name + ".modelLoadMillis");
    }

    /** New accumulators for a stage, and a listener that logs them at the end of each Spark stage. */
    public static StageMetrics register(SparkContext sc, String name) {
        StageMetrics m = new StageMetrics(sc, name);
        sc.addSparkListener(new MetricsLogger(m));
        return m;
    }

    public String name() {
        return name;
    }

    /** Accumulator id used to recognise the Spark stages that ran this stage's partitions. */
    long documentsId() {
        return documents.id();
    }

    public void addDocuments(long n) {
        documents.add(n);
    }

    public void addTokens(long n) {
        tokens.add(n);
    }

    public void addBatches(long n) {
        batches.add(n);
    }

    public void addErrors(long n) {
        errors.add(n);
    }

    public void addModelLoadMillis(long n) {
        modelLoadMillis.add(n);
    }

    public MetricsSnapshot snapshot() {
        return new MetricsSnapshot(documents.value(), tokens.value(), batches.value(), errors.value(),
                modelLoadMillis.value());
    }
}
