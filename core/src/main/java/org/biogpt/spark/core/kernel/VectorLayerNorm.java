package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm over rows of x [rows, d] on the Vector API, as torch computes it: biased variance,
 * two passes (mean, then squared deviations), y = (x − mean) · rsqrt(var + eps) · γ + β. For the
 * decode step, where a scalar loop in double precision was a visible share of a batch-32 step.
 *
 * <p>Only touched when {@link SmallMatmul#available()}.
 */
public final class VectorLayerNorm {
    private static final VectorSpecies<Float> SPECIES = VectorKernel.SPECIES;
    private static final int LANES = SPECIES.length();

    private VectorLayerNorm() {
    }

    /** y[r] = LN(x[r]) for rows [from, to) of x and y, both [rows, d]. */
    public static void apply(float[] x, float[] y, int d, float[] gamma, float[] beta, double eps, int from, int to) {
        int vec = d - d % LANES;
        for (int r = from; r < to; r++) {
            int o = r * d;
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int j = 0; j < vec; j += LANES) {
                acc = acc.add(FloatVector.fromArray(SPECIES, x, o + j));
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (int j = vec; j < d; j++) {
                sum += x[o + j];
            }
            float mean = sum / d;
            acc = FloatVector.zero(SPECIES);
            for (int j = 0; j < vec; j += LANES) {
                FloatVector c = FloatVector.fromArray(SPECIES, x, o + j).sub(mean);
                acc = c.fma(c, acc);
            }
            float sq = acc.reduceLanes(VectorOperators.ADD);
            for (int j = vec; j < d; j++) {
                float c = x[o + j] - mean;
                sq += c * c;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
            for (int j = 0; j < vec; j += LANES) {
                FloatVector.fromArray(SPECIES, x, o + j).sub(mean).mul(inv)
                        .fma(FloatVector.fromArray(SPECIES, gamma, j), FloatVector.fromArray(SPECIES, beta, j))
                        .intoArray(y, o + j);
            }
            for (int j = vec; j < d; j++) {
                y[o + j] = (x[o + j] - mean) * inv * gamma[j] + beta[j];
            }
        }
    }
}
