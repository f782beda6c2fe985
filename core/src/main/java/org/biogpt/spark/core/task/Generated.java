package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.Locale;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * One generated continuation.
 *
 * @param text          the new tokens decoded (special tokens skipped)
 * @param numTokens     how many new tokens (an ending eos included)
 * @param score         log-probability score: beam search's sequence score, or the sum of the tokens'
 *                      log-probabilities / numTokens^lengthPenalty (see core's {@code GeneratedSequence})
 * @param stopReason    eos, max_length or stop_string
 * @param tokens        the new token ids
 * @param tokenLogProbs each new token's log-probability
 */
public record Generated(String text, int numTokens, double score, String stopReason, int[] tokens,
                        float[] tokenLogProbs) implements Serializable {

    static Generated of(GeneratedSequence s, BioGptTokenizer tokenizer) {
        int[] tokens = s.tokens();
        return new Generated(tokenizer.decode(tokens, true), tokens.length, s.score(),
                s.stopReason().name().toLowerCase(Locale.ROOT), tokens, s.tokenLogProbs());
    }
}
