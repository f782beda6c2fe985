package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = x·Wᵀ + b for few rows of x, over a {@link PackedMatrix}, with the JDK Vector API
 * (jdk.incubator.vector). This package's Vector* classes and {@link DecodeAttention} are the only
 * ones that touch the incubator module: they must not be loaded unless {@link SmallMatmul#available()}
 * said so.
 *
 * <p>Register tile: {@link #TILE} rows of x × one panel (2 vectors of L floats):
 * <pre>
 *   for kk in 0..k:                        w0, w1 = panel[kk, 0:L], panel[kk, L:2L]
 *     for r in 0..TILE:  acc[r][0] += xt[kk, r] · w0;  acc[r][1] += xt[kk, r] · w1
 * </pre>
 * The accumulators stay in registers and each weight float is loaded once per TILE rows, from the
 * heap array of {@link PackedMatrix} (which says why not native memory). TILE follows the vector
 * registers there are: 8 rows (16 accumulators) with AVX-512's 32, 4 rows (8 accumulators) with
 * AVX2's 16, where 16 accumulators beside the two weight vectors and a broadcast do not fit and
 * C2 spills them to the stack at every step (docs/PERFORMANCE.md, the AVX2 tile). x comes
 * transposed in blocks of TILE rows ({@link #transpose}), so the broadcasts of one kk read one
 * cache line. Rows past m in the last block are zeros; a remainder of 1–2 rows takes the
 * one-row tile instead, which streams the panel without the wasted FMAs.
 *
 * <p>The first tile over a panel walks it as 8 interleaved streams, kk = 0, k/8, 2k/8, …, 1,
 * k/8+1, … ({@link PanelWalk}): the weights stream from DRAM, so this is the step's speed, and on
 * the 2-core machine this was measured on (4 KiB pages, where the prefetchers stop at every page)
 * more streams in flight streamed faster. Later tiles over the same panel (M &gt; TILE) find it in
 * L2 and read it in plain order: at M = 16–32 the step is compute-bound, and the plain walk
 * (no table load, the L1 prefetcher follows it) was faster (docs/PERFORMANCE.md). So the first
 * tile's rows and the later rows of x sum in different orders; the last-bit differences this
 * makes between batch compositions are of the kind MKL's prefill already makes, and the parity
 * test bounds the rounding against MKL.
 *
 * <p>Written without helper methods that take or return vectors: a call C2 does not inline
 * boxes its vector arguments, and measured in the full model that made C2 fall back to the
 * allocating Java implementation of every FMA, many times slower.
 */
final class VectorKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Panel width: two vectors. */
    static final int PANEL = 2 * LANES;
    /** Rows per register tile: as many as the vector registers hold accumulators for. */
    static final int TILE = LANES >= 16 ? 8 : 4;

    private VectorKernel() {
    }

    /** Rows of x that go through {@link #TILE}-row tiles (the rest take the one-row tile). */
    static int tiledRows(int m) {
        int rem = m % TILE;
        return rem >= 3 ? m - rem + TILE : m - rem;
    }

    /**
     * x [m, k] → blocks of T = {@link #TILE} rows, each [k, T] (xt[(b·k + kk)·T + j] = x[b·T + j, kk]), for the
     * first {@link #tiledRows} rows; missing rows are zeros.
     */
    static float[] transpose(float[] x, int m, int k) {
        float[] xt = new float[tiledRows(m) * k];
        transpose(x, m, k, xt);
        return xt;
    }

    /** As {@link #transpose(float[], int, int)} into xt (at least {@link #tiledRows}(m) · k long, old values overwritten). */
    static void transpose(float[] x, int m, int k, float[] xt) {
        int tiled = tiledRows(m);
        if (tiled > m) {
            java.util.Arrays.fill(xt, (m / TILE) * k * TILE, tiled * k, 0f);     // the last block's missing rows
        }
        for (int r = 0; r < Math.min(m, tiled); r++) {
            int b = r / TILE;
            int j = r % TILE;
            int dst = b * k * TILE + j;
            int src = r * k;
            for (int kk = 0; kk < k; kk++) {
                xt[dst + kk * TILE] = x[src + kk];
            }
        }
    }

    /**
     * Computes output panels [p0, p1) for all m rows.
     *
     * @param x  [m, k] row-major
     * @param xt {@link #transpose}(x, m, k)
     * @param y  [m, panelCount · PANEL] row-major (padded columns included); only the columns of
     *           panels p0..p1 are written
     */
    static void multiply(float[] x, float[] xt, int m, PackedMatrix w, float[] y, int p0, int p1) {
        int tiled = tiledRows(m);
        boolean bf16 = w.format == DecodeWeights.BF16;
        for (int p = p0; p < p1; p++) {
            int[] order = w.streamOrder;                 // the first pass streams panel p from memory
            for (int r = 0; r < tiled; r += TILE) {
                int rows = Math.min(TILE, m - r);
                if (TILE == 8) {
                    if (bf16) {
                        VectorKernelBf16.tile8(xt, r, rows, w, p, y, order);
                    } else {
                        tile8(xt, r, rows, w, p, y, order);
                    }
                } else if (bf16) {
                    VectorKernelBf16.tile4(xt, r, rows, w, p, y, order);
                } else {
                    tile4(xt, r, rows, w, p, y, order);
                }
                order = null;                            // later passes find it in L2
            }
            for (int r = tiled; r < m; r++) {
                if (bf16) {
                    VectorKernelBf16.tile1(x, r, w, p, y, order);
                } else {
                    tile1(x, r, w, p, y, order);
                }
                order = null;
            }
        }
    }

    /**
     * y[r0 .. r0+rows, panel p] = x[r0 .. r0+rows, :] · panel p + bias, rows ≤ 8.
     *
     * @param order panel rows in the order to read them ({@link PackedMatrix#streamOrder}), or
     *              null for plain order (the test is loop-invariant: C2 unswitches the loop)
     */
    private static void tile8(float[] xt, int r0, int rows, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = PackedMatrix.BASE + p * k * PANEL;      // panel p, row kk at wo + kk · PANEL
        int xo = r0 * k;                                 // block r0 / 8 of xt, row kk at xo + kk · 8
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        FloatVector a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            int wi = wo + kk * PANEL;
            int xi = xo + kk * TILE;
            FloatVector w0 = FloatVector.fromArray(SPECIES, pw, wi);
            FloatVector w1 = FloatVector.fromArray(SPECIES, pw, wi + LANES);
            FloatVector v;
            v = FloatVector.broadcast(SPECIES, xt[xi]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(SPECIES, xt[xi + 1]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(SPECIES, xt[xi + 2]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(SPECIES, xt[xi + 3]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            v = FloatVector.broadcast(SPECIES, xt[xi + 4]);
            a40 = w0.fma(v, a40);
            a41 = w1.fma(v, a41);
            v = FloatVector.broadcast(SPECIES, xt[xi + 5]);
            a50 = w0.fma(v, a50);
            a51 = w1.fma(v, a51);
            v = FloatVector.broadcast(SPECIES, xt[xi + 6]);
            a60 = w0.fma(v, a60);
            a61 = w1.fma(v, a61);
            v = FloatVector.broadcast(SPECIES, xt[xi + 7]);
            a70 = w0.fma(v, a70);
            a71 = w1.fma(v, a71);
        }
        int stride = w.panelCount * PANEL;
        int at = r0 * stride + p * PANEL;                // y[r0, panel p]
        a00.intoArray(y, at);
        a01.intoArray(y, at + LANES);
        if (rows > 1) {
            a10.intoArray(y, at + stride);
            a11.intoArray(y, at + stride + LANES);
        }
        if (rows > 2) {
            a20.intoArray(y, at + 2 * stride);
            a21.intoArray(y, at + 2 * stride + LANES);
        }
        if (rows > 3) {
            a30.intoArray(y, at + 3 * stride);
            a31.intoArray(y, at + 3 * stride + LANES);
        }
        if (rows > 4) {
            a40.intoArray(y, at + 4 * stride);
            a41.intoArray(y, at + 4 * stride + LANES);
        }
        if (rows > 5) {
            a50.intoArray(y, at + 5 * stride);
            a51.intoArray(y, at + 5 * stride + LANES);
        }
        if (rows > 6) {
            a60.intoArray(y, at + 6 * stride);
            a61.intoArray(y, at + 6 * stride + LANES);
        }
        if (rows > 7) {
            a70.intoArray(y, at + 7 * stride);
            a71.intoArray(y, at + 7 * stride + LANES);
        }
    }

    /** As {@link #tile8} for rows ≤ 4 ({@link #TILE} 4: xt in blocks of 4 rows). */
    private static void tile4(float[] xt, int r0, int rows, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = PackedMatrix.BASE + p * k * PANEL;
        int xo = r0 * k;
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            int wi = wo + kk * PANEL;
            int xi = xo + kk * 4;
            FloatVector w0 = FloatVector.fromArray(SPECIES, pw, wi);
            FloatVector w1 = FloatVector.fromArray(SPECIES, pw, wi + LANES);
            FloatVector v;
            v = FloatVector.broadcast(SPECIES, xt[xi]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(SPECIES, xt[xi + 1]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(SPECIES, xt[xi + 2]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(SPECIES, xt[xi + 3]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
        }
        int stride = w.panelCount * PANEL;
        int at = r0 * stride + p * PANEL;
        a00.intoArray(y, at);
        a01.intoArray(y, at + LANES);
        if (rows > 1) {
            a10.intoArray(y, at + stride);
            a11.intoArray(y, at + stride + LANES);
        }
        if (rows > 2) {
            a20.intoArray(y, at + 2 * stride);
            a21.intoArray(y, at + 2 * stride + LANES);
        }
        if (rows > 3) {
            a30.intoArray(y, at + 3 * stride);
            a31.intoArray(y, at + 3 * stride + LANES);
        }
    }

    /** y[r, panel p], as {@link #tile8} for one row of x (row-major). */
    private static void tile1(float[] x, int r, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        float[] pw = w.panels;
        int wo = PackedMatrix.BASE + p * k * PANEL;
        FloatVector a0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector a1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        int x0 = r * k;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
            a0 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL).fma(v, a0);
            a1 = FloatVector.fromArray(SPECIES, pw, wo + kk * PANEL + LANES).fma(v, a1);
        }
        int at = r * w.panelCount * PANEL + p * PANEL;
        a0.intoArray(y, at);
        a1.intoArray(y, at + LANES);
    }
}
