package org.biogpt.spark.core.generate;

/**
 * Rewrites one row's next-token scores in place, given that row's history; the Java
 * counterpart of a Hugging Face {@code LogitsProcessor}/{@code LogitsWarper} on one row.
 * A banned token gets {@code -Infinity}.
 */
interface LogitsProcessor {
    void apply(float[] scores, TokenHistory history);
}
