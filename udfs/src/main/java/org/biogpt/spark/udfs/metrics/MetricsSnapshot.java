package org.biogpt.spark.udfs.metrics;

import java.io.Serializable;

/** Values of a stage's accumulators at one moment (driver side). */
public record MetricsSnapshot(long documents, long tokens, long batches, long errors, long modelLoadMillis)
        implements Serializable {
    /** These counts less an earlier snapshot of the same counters. */
    public MetricsSnapshot minus(MetricsSnapshot earlier) {
        return new MetricsSnapshot(documents - earlier.documents, tokens - earlier.tokens, batches - earlier.batches,
                errors - earlier.errors, modelLoadMillis - earlier.modelLoadMillis);
    }

    @Override
    public String toString() {
        return documents + " documents, " + tokens + " tokens, " + batches + " batches, " + errors
                + " rows with errors, model load " + modelLoadMillis + " ms";
    }
}
