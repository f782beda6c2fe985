package org.biogpt.spark.core.generate;

import org.biogpt.spark.core.math.LogitMath;
/** Keeps the tokens scoring at least the k-th best score (ties kept, as Hugging Face). */
record TopKWarper(int k) implements LogitsProcessor {
    @Override
    public void apply(float[] scores, TokenHistory history) {
        int keep = Math.min(Math.max(k, 1), scores.length);
        float threshold = LogitMath.kthLargest(scores, keep);
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < threshold) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
