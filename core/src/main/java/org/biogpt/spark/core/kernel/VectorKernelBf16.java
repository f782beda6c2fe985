package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernel}'s register tiles over {@link DecodeWeights#BF16} panels: the same tiles, walk
 * and accumulation order, with each panel row loaded as one int vector of L bfloat16 pairs
 * ({@link PackedMatrix} gives the layout) and widened in registers:
 *
 * <pre>
 *   v  = pairs[kk, 0:L]                       (L ints: half the bytes of two float vectors)
 *   w0 = floats(v &lt;&lt; 16)                      columns 0 .. L−1 (the low halves)
 *   w1 = floats(v &amp; 0xFFFF0000)                columns L .. 2L−1 (the high halves)
 * </pre>
 *
 * A bfloat16 is the top half of the float32 it stands for, so the widening is exact and costs two
 * integer ops per 2L weights beside 16 FMAs. Each output therefore sees the same FMAs in the same
 * order as the float32 tile over the widened weights: over weights that are bfloat16 values
 * already, the results are bit for bit those of the float32 panels.
 *
 * <p>The int species has the float species' shape (one vector register). The tiles are a copy of
 * {@link VectorKernel}'s with another load, not one tile with a format test in its loop: as there,
 * no helper method may take or return a vector (C2 would box them), and the loop already carries
 * one loop-invariant test (the walk order) for C2 to unswitch.
 */
final class VectorKernelBf16 {
    static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorKernel.SPECIES.vectorShape());
    private static final VectorSpecies<Float> SPECIES = VectorKernel.SPECIES;
    private static final int LANES = VectorKernel.LANES;
    private static final int PANEL = VectorKernel.PANEL;
    private static final int TILE = VectorKernel.TILE;
    private static final int HIGH = 0xFFFF0000;

    private VectorKernelBf16() {
    }

    /** As {@link VectorKernel}'s tile8, over bf16 pairs. */
    static void tile8(float[] xt, int r0, int rows, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        int[] pw = w.pairs;
        int wo = PackedMatrix.BASE + p * k * LANES;       // panel p, row kk at wo + kk · LANES
        int xo = r0 * k;
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        FloatVector a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            int xi = xo + kk * TILE;
            IntVector pair = IntVector.fromArray(INTS, pw, wo + kk * LANES);
            FloatVector w0 = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = pair.and(HIGH).reinterpretAsFloats();
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

    /** As {@link VectorKernel}'s tile4, over bf16 pairs. */
    static void tile4(float[] xt, int r0, int rows, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        int[] pw = w.pairs;
        int wo = PackedMatrix.BASE + p * k * LANES;
        int xo = r0 * k;
        FloatVector b0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector b1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            int xi = xo + kk * 4;
            IntVector pair = IntVector.fromArray(INTS, pw, wo + kk * LANES);
            FloatVector w0 = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = pair.and(HIGH).reinterpretAsFloats();
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

    /** As {@link VectorKernel}'s tile1, over bf16 pairs. */
    static void tile1(float[] x, int r, PackedMatrix w, int p, float[] y, int[] order) {
        int k = w.k;
        int[] pw = w.pairs;
        int wo = PackedMatrix.BASE + p * k * LANES;
        FloatVector a0 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL);
        FloatVector a1 = FloatVector.fromArray(SPECIES, w.bias, p * PANEL + LANES);
        int x0 = r * k;
        for (int i = 0; i < k; i++) {
            int kk = order != null ? order[i] : i;
            FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + kk]);
            IntVector pair = IntVector.fromArray(INTS, pw, wo + kk * LANES);
            a0 = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(v, a0);
            a1 = pair.and(HIGH).reinterpretAsFloats().fma(v, a1);
        }
        int at = r * w.panelCount * PANEL + p * PANEL;
        a0.intoArray(y, at);
        a1.intoArray(y, at + LANES);
    }
}
