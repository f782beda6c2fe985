package org.biogpt.spark.udfs.metrics;

/** Values of a stage's accumulators at one moment (driver side). */
public record MetricsSnapshot(long documents, long tokens, long batches, long errors, long modelLoadMillis) {
    @Override
    public String toString() {
        return documents + " documents, " + tokens + " tokens, " + batches + " batches, " + errors
                + " rows with errors, model load " + modelLoadMillis + " ms";
    }
}
