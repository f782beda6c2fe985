package org.biogpt.spark.core.generate;

import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.kernel.VectorMath;
import org.biogpt.spark.core.model.NextTokens;

/** Float-array helpers over one row of logits. */
final class LogMath {
    private static final boolean VECTOR = SmallMatmul.available();

    private LogMath() {
    }

    /** log_softmax in float32 results, accumulated in double. */
    static float[] logSoftmax(float[] logits) {
        float logZ = logSumExp(logits);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }

    /**
     * log Σ exp(logits), shifted by the max: log_softmax(logits)[i] = logits[i] − this. The exps on
     * the Vector API where the JVM has it (float exp within an ulp, sums in double), else scalar.
     */
    static float logSumExp(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum;
        if (VECTOR) {
            sum = VectorMath.sumExp(logits, max);
        } else {
            sum = 0;
            for (float x : logits) {
                sum += Math.exp(x - max);
            }
        }
        return (float) (max + Math.log(sum));
    }

    /** Index of the largest value; the first one on ties (torch.argmax on CPU). */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Each row's argmax and its log-probability, as a model that reduces on its device returns them. */
    static NextTokens mostLikely(float[][] logits) {
        int[] ids = new int[logits.length];
        float[] logProbs = new float[logits.length];
        for (int r = 0; r < logits.length; r++) {
            ids[r] = argmax(logits[r]);
            logProbs[r] = logits[r][ids[r]] - logSumExp(logits[r]);
        }
        return new NextTokens(ids, logProbs);
    }

    /** The k-th largest value (k from 1), by quickselect on a copy. */
    static float kthLargest(float[] values, int k) {
        float[] a = values.clone();
        int target = a.length - k; // k-th largest = (n-k)-th smallest
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }
}
