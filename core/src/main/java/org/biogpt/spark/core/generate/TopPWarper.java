package org.biogpt.spark.core.generate;

import java.util.Arrays;

/**
 * Nucleus filtering as Hugging Face: sort ascending, drop the tokens whose cumulative
 * probability is at most 1 - top_p, always keep the best one.
 */
record TopPWarper(double topP) implements LogitsProcessor {
    @Override
    public void apply(float[] scores, TokenHistory history) {
        // -Infinity tokens have probability 0: they are removed either way, so sort only the rest.
        int finite = 0;
        for (float s : scores) {
            if (s != Float.NEGATIVE_INFINITY) {
                finite++;
            }
        }
        Integer[] order = new Integer[finite];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                order[j++] = i;
            }
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double max = finite == 0 ? 0 : scores[order[finite - 1]];
        double sum = 0;
        double[] p = new double[finite];
        for (int j = 0; j < finite; j++) {
            p[j] = Math.exp(scores[order[j]] - max);
            sum += p[j];
        }
        double cumulative = 0;
        for (int j = 0; j < finite - 1; j++) { // the last (best) token always stays
            cumulative += p[j] / sum;
            if (cumulative <= 1 - topP) {
                scores[order[j]] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
