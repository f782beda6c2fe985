package org.biogpt.spark.udfs.tasks;

import java.io.Serializable;

/**
 * One generated continuation.
 *
 * @param text       the new tokens decoded (special tokens skipped)
 * @param numTokens  how many new tokens (an ending eos included)
 * @param score      log-probability score: beam search's sequence score, or the sum of the tokens'
 *                   log-probabilities / numTokens^lengthPenalty (see core's {@code GeneratedSequence})
 * @param stopReason eos, max_length or stop_string
 */
public record Generated(String text, int numTokens, double score, String stopReason) implements Serializable {
}
