package org.biogpt.spark.core.generate;

import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.NextTokens;

/**
 * What the decoder needs from a causal language model with a key/value cache: last-position
 * logits only, one token per live row per step, and cache rows selected by index. Rows are
 * numbered by their current position in the cache; {@link #select} renumbers them.
 */
public interface StepModel extends AutoCloseable {

    /** Vocabulary size (width of every logits row). */
    int vocabSize();

    /**
     * Runs a left-padded batch through the model and fills the cache with it.
     *
     * @param ids  [batch][width] token ids, left-padded
     * @param mask [batch][width] 1 for a real token, 0 for padding
     * @return the logits of each row's last position, [batch][vocab]
     */
    float[][] prefill(long[][] ids, int[][] mask);

    /** Appends one real token to each live row and returns its logits, [rows][vocab]. */
    float[][] step(long[] tokens);

    /**
     * {@link #prefill} for plain greedy search (no logits processor, no sampling): only each row's
     * most likely token and its log-probability, which a model on a GPU reduces there instead of
     * copying [batch][vocab] logits to the host.
     */
    default NextTokens prefillMostLikely(long[][] ids, int[][] mask) {
        return LogitMath.mostLikely(prefill(ids, mask));
    }

    /** {@link #step} for plain greedy search; see {@link #prefillMostLikely}. */
    default NextTokens stepMostLikely(long[] tokens) {
        return LogitMath.mostLikely(step(tokens));
    }

    /**
     * Keeps the cache rows at these indices, in this order; an index may repeat (beam expansion
     * and reordering) and rows not named leave the batch.
     */
    void select(int[] rows);

    @Override
    void close();
}
