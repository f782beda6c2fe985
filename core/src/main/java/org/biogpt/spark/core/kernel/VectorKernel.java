package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = x·Wᵀ + b for few rows of x, over a {@link PackedMatrix}, with the JDK Vector API
 * (jdk.incubator.vector). The only class that touches the incubator module: it must not be loaded
 * unless {@link SmallMatmul#available()} said so.
 *
 * <p>Register tile: up to 8 rows of x × one panel (2 vectors of L floats, L = 16 on AVX-512):
 * <pre>
 *   for kk in 0..k:                        w0, w1 = panel[kk, 0:L], panel[kk, L:2L]
 *     for r in rows:  acc[r][0] += x[r, kk] · w0;  acc[r][1] += x[r, kk] · w1
 * </pre>
 * 16 accumulators stay in registers; each weight float is loaded once per 8 rows, and the panel
 * (w · k floats, 128 KiB at k = 1024) stays in L2 while the row tiles of larger M reuse it.
 * Row tiles of 8, 4 and 1 cover any M.
 */
final class VectorKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Panel width: two vectors. */
    static final int PANEL = 2 * LANES;

    private VectorKernel() {
    }

    /**
     * Computes output panels [p0, p1) for all m rows.
     *
     * @param x [m, k] row-major
     * @param y [m, n] row-major; only columns of panels p0..p1 are written
     */
    static void multiply(float[] x, int m, PackedMatrix w, float[] y, int p0, int p1) {
        float[] tmp = new float[PANEL];
        for (int p = p0; p < p1; p++) {
            int r = 0;
            for (; r + 8 <= m; r += 8) {
                tile8(x, r, w, p, y, tmp);
            }
            for (; r + 4 <= m; r += 4) {
                tile4(x, r, w, p, y, tmp);
            }
            for (; r < m; r++) {
                tile1(x, r, w, p, y, tmp);
            }
        }
    }

    /** y[r0 .. r0+8, panel p] = x[r0 .. r0+8, :] · panel p + bias. */
    private static void tile8(float[] x, int r0, PackedMatrix w, int p, float[] y, float[] tmp) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = p * k * PANEL;                          // panel p, row kk at wo + kk · PANEL
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        FloatVector a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
        int x0 = r0 * k;                                 // row r0 of x; the next rows follow at + k
        for (int kk = 0; kk < k; kk++) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL);
            FloatVector w1 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL + LANES);
            FloatVector v;
            v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(SPECIES, x[x0 + k + kk]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(SPECIES, x[x0 + 2 * k + kk]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(SPECIES, x[x0 + 3 * k + kk]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            v = FloatVector.broadcast(SPECIES, x[x0 + 4 * k + kk]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            v = FloatVector.broadcast(SPECIES, x[x0 + 5 * k + kk]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            v = FloatVector.broadcast(SPECIES, x[x0 + 6 * k + kk]);
            a60 = w0.fma(v, a60);
            a61 = w1.fma(v, a61);
            v = FloatVector.broadcast(SPECIES, x[x0 + 7 * k + kk]);
            a70 = w0.fma(v, a70);
            a71 = w1.fma(v, a71);
        }
        store(a00, a01, w, p, y, r0, tmp);
        store(a10, a11, w, p, y, r0 + 1, tmp);
        store(a20, a21, w, p, y, r0 + 2, tmp);
        store(a30, a31, w, p, y, r0 + 3, tmp);
        store(a40, a41, w, p, y, r0 + 4, tmp);
        store(a50, a51, w, p, y, r0 + 5, tmp);
        store(a60, a61, w, p, y, r0 + 6, tmp);
        store(a70, a71, w, p, y, r0 + 7, tmp);
    }

    /** y[r0 .. r0+4, panel p], as {@link #tile8}. */
    private static void tile4(float[] x, int r0, PackedMatrix w, int p, float[] y, float[] tmp) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = p * k * PANEL;
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        int x0 = r0 * k;
        for (int kk = 0; kk < k; kk++) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL);
            FloatVector w1 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL + LANES);
            FloatVector v;
            v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(SPECIES, x[x0 + k + kk]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(SPECIES, x[x0 + 2 * k + kk]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(SPECIES, x[x0 + 3 * k + kk]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
        }
        store(a00, a01, w, p, y, r0, tmp);
        store(a10, a11, w, p, y, r0 + 1, tmp);
        store(a20, a21, w, p, y, r0 + 2, tmp);
        store(a30, a31, w, p, y, r0 + 3, tmp);
    }

    /** y[r, panel p], as {@link #tile8} for one row. */
    private static void tile1(float[] x, int r, PackedMatrix w, int p, float[] y, float[] tmp) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = p * k * PANEL;
        FloatVector a0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector a1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        int x0 = r * k;
        for (int kk = 0; kk < k; kk++) {
            FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
            a0 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL).fma(v, a0);
            a1 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL + LANES).fma(v, a1);
        }
        store(a0, a1, w, p, y, r, tmp);
    }

    /** Writes one row's panel p into y[r, p·PANEL ..], dropping the padded columns past n. */
    private static void store(FloatVector a0, FloatVector a1, PackedMatrix w, int p, float[] y, int r, float[] tmp) {
        int col = p * PANEL;
        int at = r * w.n + col;
        if (col + PANEL <= w.n) {
            a0.intoArray(y, at);
            a1.intoArray(y, at + LANES);
        } else {
            a0.intoArray(tmp, 0);
            a1.intoArray(tmp, LANES);
            System.arraycopy(tmp, 0, y, at, w.n - col);
        }
    }
}
