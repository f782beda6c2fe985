package org.biogpt.spark.udfs.metrics;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The five named accumulators of one stage in one SparkContext (they show in the UI and reach the
 * driver with each task's result). Created once per stage and context and shared by all its
 * transforms, so that a notebook or a loop calling {@code transform} again does not add more.
 */
final class StageCounters implements Serializable {
    private final String name;
    final LongAccumulator documents;
    final LongAccumulator tokens;
    final LongAccumulator batches;
    final LongAccumulator errors;
    final LongAccumulator modelLoadMillis;

    StageCounters(SparkContext sc, String name) {
        this.name = name;
        this.documents = sc.longAccumulator(name + ".documents");
        this.tokens = sc.longAccumulator(name + ".tokens");
        this.batches = sc.longAccumulator(name + ".batches");
        this.errors = sc.longAccumulator(name + ".errors");
        this.modelLoadMillis = sc.longAccumulator(name + ".modelLoadMillis");
    }

    String name() {
        return name;
    }

    /** Totals so far (driver side). */
    MetricsSnapshot totals() {
        return new MetricsSnapshot(documents.value(), tokens.value(), batches.value(), errors.value(),
                modelLoadMillis.value());
    }
}
