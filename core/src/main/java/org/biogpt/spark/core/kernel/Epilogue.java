package org.biogpt.spark.core.kernel;

/**
 * An element-wise activation applied to a matmul's output by the thread that computed it, so
 * the FFN's activation runs on both cores for free instead of as a separate pass.
 */
public enum Epilogue {
    NONE,
    /** Exact GELU, 0.5·x·(1 + erf(x/√2)), torch's default (not the tanh approximation). */
    GELU,
    RELU;

    /** The epilogue for a config's hidden_act, or null when there is none here. */
    public static Epilogue forActivation(String name) {
        switch (name) {
            case "gelu":
                return GELU;
            case "relu":
                return RELU;
            default:
                return null;
        }
    }

    /** In place over y[from, to); needs the Vector API (called by the kernel's threads only). */
    void apply(float[] y, int from, int to) {
        switch (this) {
            case GELU:
                VectorGelu.apply(y, from, to);
                break;
            case RELU:
                for (int i = from; i < to; i++) {
                    y[i] = Math.max(y[i], 0f);
                }
                break;
            default:
                break;
        }
    }

    /** gelu(x) = x · Φ(x) = 0.5 · x · erfc(−x/√2). */
    static float gelu(float x) {
        return (float) (0.5 * x * erfc(-x * 0.7071067811865476));
    }

    /**
     * erfc by the Chebyshev fit of Numerical Recipes (erfcc): relative error below 1.2e-7
     * everywhere, i.e. float precision, with one exp. The JDK has no erf.
     */
    static double erfc(double z) {
        double a = Math.abs(z);
        double t = 1.0 / (1.0 + 0.5 * a);
        double r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? r : 2.0 - r;
    }
}
