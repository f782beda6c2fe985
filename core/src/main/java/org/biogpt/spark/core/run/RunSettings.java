package org.biogpt.spark.core.run;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.core.model.LengthPolicy;

/**
 * How rows are cut into model calls, and what happens to a row that is too long. Serializable so
 * that it travels inside a Spark partition function; the model it runs with is not part of it.
 *
 * @param batchSize         at most this many rows per model call
 * @param maxTokensPerBatch at most this many padded tokens (rows × longest row) per model call
 * @param maxInputTokens    longest input in tokens, BOS included; 0 = the model's max positions
 *                          (or no limit for tokenizer-only tasks)
 * @param lengthPolicy      a row over the limit: an error for that row, or its first tokens kept
 * @param sortWindow        rows buffered and sorted by length at a time: a stream of rows goes through
 *                          in windows of this size, so memory stays bounded on huge partitions
 * @param threads           libtorch intra-op threads of this caller's model calls; 0 = the model's own
 */
public record RunSettings(int batchSize, int maxTokensPerBatch, int maxInputTokens, LengthPolicy lengthPolicy,
                          int sortWindow, int threads) implements Serializable {
    public static final int DEFAULT_SORT_WINDOW = 1024;

    public RunSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (maxTokensPerBatch < 1) {
            throw new IllegalArgumentException("maxTokensPerBatch must be at least 1, got " + maxTokensPerBatch);
        }
        if (maxInputTokens < 0) {
            throw new IllegalArgumentException("maxInputTokens must be >= 0, got " + maxInputTokens);
        }
        Objects.requireNonNull(lengthPolicy, "lengthPolicy");
        if (sortWindow < 1) {
            throw new IllegalArgumentException("sortWindow must be at least 1, got " + sortWindow);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    /** Settings whose calls use the model's own thread count. */
    public RunSettings(int batchSize, int maxTokensPerBatch, int maxInputTokens, LengthPolicy lengthPolicy,
                       int sortWindow) {
        this(batchSize, maxTokensPerBatch, maxInputTokens, lengthPolicy, sortWindow, 0);
    }

    public RunSettings withThreads(int n) {
        return new RunSettings(batchSize, maxTokensPerBatch, maxInputTokens, lengthPolicy, sortWindow, n);
    }

    /** Settings whose sort window holds at least one full batch. */
    public static RunSettings of(int batchSize, int maxTokensPerBatch, int maxInputTokens, LengthPolicy lengthPolicy) {
        return new RunSettings(batchSize, maxTokensPerBatch, maxInputTokens, lengthPolicy,
                Math.max(DEFAULT_SORT_WINDOW, batchSize));
    }
}
