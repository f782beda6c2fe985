package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vector LayerNorm against a plain double-precision one (biased variance, as torch). */
class VectorLayerNormTest {

    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1024, 20, 7})     // BioGPT's width; a vector and a tail; tail only
    void matchesDoublePrecisionLayerNormOnTheGivenRowsOnly(int d) {
        int rows = 5;
        SplittableRandom rnd = new SplittableRandom(d);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 3 + 1.5);    // an offset mean, as residual streams have
        }
        float[] gamma = new float[d];
        float[] beta = new float[d];
        for (int j = 0; j < d; j++) {
            gamma[j] = (float) (1 + 0.1 * rnd.nextGaussian());
            beta[j] = (float) (0.1 * rnd.nextGaussian());
        }
        float[] y = new float[rows * d];
        Arrays.fill(y, Float.NaN);
        VectorLayerNorm.apply(x, y, d, gamma, beta, 1e-5, 1, 4);
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x[r * d + j];
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += (x[r * d + j] - mean) * (x[r * d + j] - mean);
            }
            var /= d;
            for (int j = 0; j < d; j++) {
                if (r == 0 || r == 4) {
                    assertEquals(Float.NaN, y[r * d + j], "row " + r + " is outside the range and must stay untouched");
                } else {
                    double want = (x[r * d + j] - mean) / Math.sqrt(var + 1e-5) * gamma[j] + beta[j];
                    assertEquals(want, y[r * d + j], 2e-6 * Math.max(1, Math.abs(want)), "y[" + r + ", " + j + "]");
                }
            }
        }
    }
}
