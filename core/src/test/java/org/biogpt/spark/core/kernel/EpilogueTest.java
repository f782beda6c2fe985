package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exact-erf GELU against values of Φ from tables (x·Φ(x)), not from this code. */
class EpilogueTest {

    @Test
    void geluMatchesTheNormalCdfToFloatPrecision() {
        // Φ(x) from standard normal tables (15 significant digits).
        double[][] phi = {
            {-6.0, 9.86587645037698e-10},
            {-3.0, 0.00134989803163009},
            {-1.0, 0.158655253931457},
            {-0.5, 0.308537538725987},
            {0.0, 0.5},
            {0.5, 0.691462461274013},
            {1.0, 0.841344746068543},
            {2.0, 0.977249868051821},
            {4.0, 0.999968328758167},
        };
        for (double[] row : phi) {
            double want = row[0] * row[1];
            float got = Epilogue.gelu((float) row[0]);
            assertEquals(want, got, Math.max(3e-7 * Math.abs(want), 1e-12), "gelu(" + row[0] + ")");
        }
    }

    @Test
    void reluClampsNegativesOnlyInTheGivenRange() {
        float[] y = {-1f, 2f, -3f, -4f};
        Epilogue.RELU.apply(y, 0, 3);
        assertEquals(0f, y[0]);
        assertEquals(2f, y[1]);
        assertEquals(0f, y[2]);
        assertEquals(-4f, y[3]);
    }
}
