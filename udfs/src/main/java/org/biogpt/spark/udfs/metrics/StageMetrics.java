package org.biogpt.spark.udfs.metrics;

import java.io.Serializable;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.spark.SparkContext;
import org.biogpt.spark.core.run.RunListener;

/**
 * Counters of one stage's {@code transform}: documents, tokens, batches, error rows and model-load
 * time. Executors add to the stage's named accumulators; the driver reads {@link #snapshot()}: what
 * was added since this transform was made. Each stage has one set of accumulators and the context
 * one listener logging them ({@link MetricsLogger}), however often it transforms.
 *
 * <p>Like any accumulator updated inside a transformation, values count every evaluation: a
 * DataFrame computed twice (no cache) or a retried task counts twice, and evaluations of an earlier
 * transform of the same stage count in a later one's snapshot.
 */
public final class StageMetrics implements RunListener, Serializable {
    private static final Map<SparkContext, MetricsLogger> LOGGERS = new WeakHashMap<>();

    private final StageCounters counters;
    private final MetricsSnapshot baseline;

    private StageMetrics(StageCounters counters, MetricsSnapshot baseline) {
        this.counters = counters;
        this.baseline = baseline;
    }

    /**
     * Metrics of a new transform of the stage {@code name}: the stage's accumulators in this context
     * (created and given a logging listener on first use), counted from now.
     */
    public static StageMetrics register(SparkContext sc, String name) {
        MetricsLogger logger;
        synchronized (LOGGERS) {
            logger = LOGGERS.get(sc);
            if (logger == null) {
                logger = new MetricsLogger();
                sc.addSparkListener(logger);
                LOGGERS.put(sc, logger);
            }
        }
        StageCounters c = logger.counters(name, n -> new StageCounters(sc, n));
        return new StageMetrics(c, c.totals());
    }

    public String name() {
        return counters.name();
    }

    public void addDocuments(long n) {
        counters.documents.add(n);
    }

    public void addTokens(long n) {
        counters.tokens.add(n);
    }

    public void addBatches(long n) {
        counters.batches.add(n);
    }

    public void addErrors(long n) {
        counters.errors.add(n);
    }

    public void addModelLoadMillis(long n) {
        counters.modelLoadMillis.add(n);
    }

    @Override
    public void ranRows(long rows, long tokens, long batches, long errors) {
        addDocuments(rows);
        addTokens(tokens);
        addBatches(batches);
        addErrors(errors);
    }

    /** What executors added since this transform was made (driver side). */
    public MetricsSnapshot snapshot() {
        return counters.totals().minus(baseline);
    }
}
