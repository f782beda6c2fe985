package org.biogpt.spark.core.run;

/**
 * Length limits a row's model input is checked against.
 *
 * @param maxInputTokens the user's limit in tokens, BOS included; 0 = none
 * @param maxPositions   the model's max_position_embeddings, or {@link Integer#MAX_VALUE} for tokenizer-only tasks
 */
public record Limits(int maxInputTokens, int maxPositions) {
    /** Tokens allowed per input: maxInputTokens, capped by the model's positions. */
    public int inputLimit() {
        int limit = maxInputTokens > 0 ? maxInputTokens : Integer.MAX_VALUE;
        return Math.min(limit, maxPositions);
    }

    /**
     * Tokens allowed per prompt that still has to fit {@code newTokens} generated tokens in the
     * model's positions (and maxInputTokens, which bounds the prompt alone).
     */
    public int promptLimit(int newTokens) {
        int room = maxPositions == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxPositions - newTokens;
        int limit = maxInputTokens > 0 ? maxInputTokens : Integer.MAX_VALUE;
        return Math.min(limit, room);
    }
}
