package org.biogpt.spark.core.model;

/**
 * The most likely next token of every row and its log-probability under the raw logits: all a
 * greedy step needs from the model when no logits processor changes the ranking. On a GPU this is
 * what crosses to the host per step, instead of [rows, vocab] logits.
 *
 * @param ids      [rows] argmax of each row's logits (the first one on ties)
 * @param logProbs [rows] log_softmax of the logits at that token
 */
public record NextTokens(int[] ids, float[] logProbs) {
    public NextTokens {
        if (ids.length != logProbs.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + logProbs.length + " log-probabilities");
        }
    }

    public int size() {
        return ids.length;
    }
}
