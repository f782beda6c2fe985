package org.biogpt.spark.core.generate;

import java.util.SplittableRandom;
import org.biogpt.spark.core.math.LogitMath;

/**
 * Multinomial draws with one random stream per (prompt, draw). The stream's seed mixes the
 * config seed, a 64-bit hash of the prompt's real token ids and the index of the returned
 * sequence, and each row consumes exactly one number per step: the same prompt with the same seed
 * gives the same tokens in any batch, at any batch size or position. (Hugging Face's torch RNG
 * is shared by the whole batch, so sampled ids are not comparable with it.)
 */
final class Sampler {
    private Sampler() {
    }

    static SplittableRandom rowRandom(long seed, int[] prompt, int draw) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the ids
        for (int id : prompt) {
            h = (h ^ id) * 0x100000001b3L;
        }
        long mixed = new SplittableRandom(seed ^ Long.rotateLeft(h, 17)).nextLong() + 0x9e3779b97f4a7c15L * draw;
        return new SplittableRandom(mixed);
    }

    /** Draws an index with probability softmax(scores); -Infinity scores are never drawn. */
    static int sample(float[] scores, SplittableRandom rng) {
        float max = LogitMath.max(scores);
        double[] w = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            w[i] = scores[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(scores[i] - max);
            sum += w[i];
        }
        double u = rng.nextDouble() * sum;
        int last = -1;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                last = i;
                u -= w[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        return last; // rounding left u >= 0: the last possible token
    }
}
