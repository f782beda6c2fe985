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
        float[] y = new float[phi.length];
        for (int i = 0; i < phi.length; i++) {
            y[i] = (float) phi[i][0];
        }
        float[] vectorized = y.clone();
        float[] misaligned = new float[phi.length + 3];                 // values off the vector boundaries
        System.arraycopy(y, 0, misaligned, 3, phi.length);
        Epilogue.GELU.apply(vectorized, 0, phi.length);
        Epilogue.GELU.apply(misaligned, 3, misaligned.length);
        for (int i = 0; i < phi.length; i++) {
            double want = phi[i][0] * phi[i][1];
            double tolerance = Math.max(3e-7 * Math.abs(want), 1e-12);
            assertEquals(want, Epilogue.gelu(y[i]), tolerance, "gelu(" + phi[i][0] + ")");
            assertEquals(want, vectorized[i], tolerance, "vector gelu(" + phi[i][0] + ")");
            assertEquals(want, misaligned[i + 3], tolerance, "vector gelu(" + phi[i][0] + ") at an odd offset");
        }
    }

    @Test
    void vectorGeluAgreesWithTheScalarFormulaOverAWideRange() {
        int n = 20_001;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = -10f + 20f * i / (n - 1);
        }
        float[] got = y.clone();
        Epilogue.GELU.apply(got, 0, n);
        for (int i = 0; i < n; i++) {
            float want = Epilogue.gelu(y[i]);
            assertEquals(want, got[i], 2 * Math.ulp(want) + 1e-30f, "gelu(" + y[i] + ")");
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
