package org.biogpt.spark.udfs.partition;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.udfs.model.ModelSpec;

/**
 * How a partition is cut and fed to the model.
 *
 * @param model             the checkpoint and its run-time options (length policy included)
 * @param batchSize         at most this many rows per model call
 * @param maxTokensPerBatch at most this many padded tokens (rows × longest row) per model call
 * @param maxInputTokens    longest input in tokens, BOS included; 0 = the model's max positions
 *                          (or no limit for tokenizer-only tasks)
 * @param sortWindow        rows buffered and sorted by length at a time: a partition streams through
 *                          in windows of this size, so memory stays bounded on huge partitions
 */
public record InferenceSettings(ModelSpec model, int batchSize, int maxTokensPerBatch, int maxInputTokens,
                                int sortWindow) implements Serializable {
    public static final int DEFAULT_SORT_WINDOW = 1024;

    public InferenceSettings {
        Objects.requireNonNull(model, "model");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (maxTokensPerBatch < 1) {
            throw new IllegalArgumentException("maxTokensPerBatch must be at least 1, got " + maxTokensPerBatch);
        }
        if (maxInputTokens < 0) {
            throw new IllegalArgumentException("maxInputTokens must be >= 0, got " + maxInputTokens);
        }
        if (sortWindow < 1) {
            throw new IllegalArgumentException("sortWindow must be at least 1, got " + sortWindow);
        }
    }

    public static InferenceSettings of(ModelSpec model, int batchSize, int maxTokensPerBatch, int maxInputTokens) {
        return new InferenceSettings(model, batchSize, maxTokensPerBatch, maxInputTokens,
                Math.max(DEFAULT_SORT_WINDOW, batchSize));
    }
}
