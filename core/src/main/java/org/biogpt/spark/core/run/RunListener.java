package org.biogpt.spark.core.run;

/**
 * What a {@link BatchRunner} reports: counts after each call to {@link BatchRunner#runRows}, which the
 * Spark layer adds to its accumulators, and each finished batch, which a long in-process run shows as progress.
 */
public interface RunListener {
    /** Reports nothing. */
    RunListener NONE = (rows, tokens, batches, errors) -> { };

    /**
     * @param rows    rows handed in
     * @param tokens  model-input tokens of the rows that were prepared (after the length policy)
     * @param batches model calls planned
     * @param errors  rows that came back with an error instead of a result
     */
    void ranRows(long rows, long tokens, long batches, long errors);

    /** After each planned batch has run (retried row by row or not): how many rows it held. */
    default void ranBatch(int rows) {
    }
}
