package org.biogpt.spark.core.generate;

/**
 * One returned sequence: the new token ids only (the prompt is not repeated; an ending eos id is
 * kept, no padding), the model's log-probability of each of them, a score and why it ended.
 *
 * <p>{@code tokenLogProbs[i]} is log_softmax of the model's raw logits at step i, taken at
 * {@code tokens[i]}: the model's own confidence, before any processor (no-repeat, penalties,
 * temperature). {@code score} is, for beam search, Hugging Face's {@code sequences_scores} (sum of
 * the processed log-probs / new_tokens^length_penalty); for greedy search and sampling, the sum
 * of {@code tokenLogProbs} / new_tokens^length_penalty.
 */
public record GeneratedSequence(int[] tokens, float[] tokenLogProbs, double score, StopReason stopReason) {

    public GeneratedSequence {
        if (tokens.length != tokenLogProbs.length) {
            throw new IllegalArgumentException("tokens and tokenLogProbs differ in length");
        }
        tokens = tokens.clone();
        tokenLogProbs = tokenLogProbs.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public float[] tokenLogProbs() {
        return tokenLogProbs.clone();
    }
}
