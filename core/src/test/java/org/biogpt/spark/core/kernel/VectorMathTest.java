package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vector Σ exp against a double-precision sum, on logits-like rows. */
class VectorMathTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {42384, 57717, 9, 1})   // BioGPT's and BioGPT-Large's vocabularies; tail only
    void sumExpMatchesDoublePrecision(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] x = new float[n];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 4 - 2);
            max = Math.max(max, x[i]);
        }
        x[n / 2] = Float.NEGATIVE_INFINITY;       // a banned token contributes exactly 0
        double want = 0;
        for (float v : x) {
            want += Math.exp((double) v - max);
        }
        assertEquals(want, VectorMath.sumExp(x, max), 1e-6 * want);
    }
}
