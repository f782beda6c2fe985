package org.biogpt.spark.jobs.cli;

import java.util.Arrays;

/** Small reductions over one row of logits, done in Java on the copied-out row. */
final class LogitMath {
    private LogitMath() {
    }

    /** Indices of the k largest values, largest first; ties keep the lower index first. */
    static int[] topK(float[] values, int k) {
        k = Math.min(k, values.length);
        int[] best = new int[k];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (size == k && !(values[i] > values[best[k - 1]])) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && values[i] > values[best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return Arrays.copyOf(best, size);
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static double logSumExp(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** Softmax in double precision, returned as float probabilities. */
    static float[] softmax(float[] values) {
        double lse = logSumExp(values);
        float[] p = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = (float) Math.exp(values[i] - lse);
        }
        return p;
    }
}
