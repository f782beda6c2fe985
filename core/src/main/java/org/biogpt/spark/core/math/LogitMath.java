package org.biogpt.spark.core.math;

import java.util.Arrays;
import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.kernel.VectorMath;
import org.biogpt.spark.core.model.NextTokens;

/**
 * The one place for reductions over a row of logits: softmax, sigmoid, log-sum-exp, log-softmax,
 * argmax, top-k. Classification, entity scores, label scoring and the CLI use the double-precision
 * forms; decoding uses {@link #logSoftmax}, whose float result matches the model's float32 logits.
 */
public final class LogitMath {
    private static final boolean VECTOR = SmallMatmul.available();

    private LogitMath() {
    }

    /** Probabilities in double: exp(x − max) / Σ, the max subtracted so nothing overflows. */
    public static double[] softmax(float[] logits) {
        double[] scores = new double[logits.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = logits[i]; // exact: the same sums as over the floats themselves
        }
        return softmax(scores);
    }

    /** {@link #softmax(float[])} over double scores (e.g. summed log-likelihoods). */
    public static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            max = Math.max(max, v);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** An independent probability per logit (multi-label classification). */
    public static double[] sigmoid(float[] logits) {
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
        }
        return p;
    }

    /** The largest value; -Infinity for an empty row, NaN if any value is NaN. */
    public static float max(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** log Σ exp(x), in double, shifted by the max. */
    public static double logSumExp(float[] logits) {
        double max = max(logits);
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** log_softmax as float32 results, accumulated in double (what decoding scores tokens with). */
    public static float[] logSoftmax(float[] logits) {
        float logZ = floatLogSumExp(logits);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }

    /**
     * log Σ exp(logits) as a float, shifted by the float max: log_softmax(logits)[i] = logits[i] − this.
     * The exps on the Vector API where the JVM has it (float exp within an ulp, sums in double), else scalar.
     */
    public static float floatLogSumExp(float[] logits) {
        float max = max(logits);
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

    /** Each row's argmax and its log-probability, as a model that reduces on its device returns them. */
    public static NextTokens mostLikely(float[][] logits) {
        int[] ids = new int[logits.length];
        float[] logProbs = new float[logits.length];
        for (int r = 0; r < logits.length; r++) {
            ids[r] = argmax(logits[r]);
            logProbs[r] = logits[r][ids[r]] - floatLogSumExp(logits[r]);
        }
        return new NextTokens(ids, logProbs);
    }

    /** Index of the largest value; the first one on ties (torch.argmax on CPU, numpy argmax). */
    public static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@link #argmax(float[])} over doubles. */
    public static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Indices of the k largest values, largest first; ties keep the lower index first. */
    public static int[] topK(float[] values, int k) {
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

    /** The k-th largest value (k from 1), by quickselect on a copy. */
    public static float kthLargest(float[] values, int k) {
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
