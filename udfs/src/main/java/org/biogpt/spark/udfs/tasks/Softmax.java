package org.biogpt.spark.udfs.tasks;

/** Probabilities from float32 logits, computed in double with the max subtracted. */
public final class Softmax {
    private Softmax() {
    }

    public static double[] of(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double[] out = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            out[j] = Math.exp(logits[j] - max);
            sum += out[j];
        }
        for (int j = 0; j < logits.length; j++) {
            out[j] /= sum;
        }
        return out;
    }
}
