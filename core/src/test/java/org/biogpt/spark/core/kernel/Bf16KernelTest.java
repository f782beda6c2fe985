package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.biogpt.spark.core.checkpoint.Float16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel over bf16 panels: packing and widening on odd sizes, exact agreement with the fp32
 * panels where the weights are bf16 values already, and the rounding bound where they are not.
 */
class Bf16KernelTest {

    /** bf16(f) as the float32 it stands for. */
    private static float rounded(float f) {
        return Float16.bf16ToFloat(Float16.floatToBf16(f));
    }

    /** The weight a bf16 panel holds for output column c, row kk, widened back. */
    private static float unpacked(PackedMatrix p, int c, int kk) {
        int half = p.panelWidth / 2;
        int j = c % p.panelWidth;
        int pair = p.pairs[PackedMatrix.BASE + ((c / p.panelWidth) * p.k + kk) * half + j % half];
        return Float.intBitsToFloat(j < half ? pair << 16 : pair & 0xFFFF0000);
    }

    @ParameterizedTest(name = "n={0} k={1}")
    @CsvSource({"1, 1", "37, 19", "33, 7", "72, 37", "100, 67", "17, 1"})
    void packedBf16PanelsHoldEveryWeightRoundedAndZeroPadding(int n, int k) {
        SplittableRandom rnd = new SplittableRandom(n * 31L + k);
        float[] w = KernelTest.gaussian(rnd, n * k);
        float[] b = KernelTest.gaussian(rnd, n);
        PackedMatrix p = SmallMatmul.pack(w, b, n, k, DecodeWeights.BF16);
        assertEquals(DecodeWeights.BF16, p.format());
        assertNull(p.panels);
        int width = SmallMatmul.panelWidth();
        int padded = p.panelCount * width;
        assertEquals(0, padded % width);
        for (int c = 0; c < padded; c++) {
            for (int kk = 0; kk < k; kk++) {
                float want = c < n ? rounded(w[c * k + kk]) : 0f;
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(unpacked(p, c, kk)), "W[" + c + ", " + kk + "]");
            }
            assertEquals(c < n ? b[c] : 0f, p.bias[c], 0f, "bias stays float32, column " + c);
        }
        assertEquals(PackedMatrix.packedBytes(n, k, width, DecodeWeights.BF16), p.bytes());
        assertEquals(4L * PackedMatrix.BASE + 2L * padded * k + 4L * padded, p.bytes());
    }

    @Test
    void stackedNativeBlocksPackLikeTheirConcatenationInBf16() {
        SplittableRandom rnd = new SplittableRandom(3);
        int k = 37;
        int[] heights = {29, 40, 3};                        // ragged last panel, blocks not on panel edges
        int n = 72;
        float[] w = KernelTest.gaussian(rnd, n * k);
        float[] bias = KernelTest.gaussian(rnd, n);
        ByteBuffer[] blocks = new ByteBuffer[heights.length];
        int at = 0;
        for (int i = 0; i < heights.length; i++) {
            blocks[i] = ByteBuffer.allocateDirect(4 * heights[i] * k).order(ByteOrder.nativeOrder());
            blocks[i].asFloatBuffer().put(w, at * k, heights[i] * k);
            at += heights[i];
        }
        int width = SmallMatmul.panelWidth();
        PackedMatrix expected = PackedMatrix.pack(w, bias, n, k, width, DecodeWeights.BF16);
        try (SmallMatmul threads = new SmallMatmul(2)) {
            PackedMatrix actual = PackedMatrix.ofRowBlocks(blocks, bias, k, width, DecodeWeights.BF16, threads);
            assertEquals(DecodeWeights.BF16, actual.format());
            assertArrayEquals(expected.pairs, actual.pairs);
            assertArrayEquals(expected.bias, actual.bias);
        }
    }

    /**
     * Weights that are bf16 values (a checkpoint stored in BF16) lose nothing: the bf16 panels widen
     * to exactly the fp32 panels' floats and the tiles do the same FMAs in the same order, so the
     * results are equal bit for bit, on every tile shape (register tiles, one-row tiles, the streamed
     * first pass and the plain later ones) and thread split.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} threads={3}")
    @CsvSource({
        "1, 1024, 1024, 2",
        "3, 37, 19, 2",
        "8, 100, 67, 3",
        "9, 33, 1, 2",
        "19, 1061, 129, 2",
        "33, 515, 96, 2",
        "64, 31, 17, 4",
        "5, 1, 5, 1",
    })
    void bf16ValuedWeightsGiveExactlyTheFp32Result(int m, int n, int k, int threads) {
        SplittableRandom rnd = new SplittableRandom(17L * m + 5L * n + k);
        float[] w = KernelTest.gaussian(rnd, n * k);
        for (int i = 0; i < w.length; i++) {
            w[i] = rounded(w[i]);
        }
        float[] b = KernelTest.gaussian(rnd, n);
        float[] x = KernelTest.gaussian(rnd, m * k);
        try (SmallMatmul kernel = new SmallMatmul(threads)) {
            float[] fp32 = kernel.multiply(x, m, SmallMatmul.pack(w, b, n, k, DecodeWeights.FP32));
            float[] bf16 = kernel.multiply(x, m, SmallMatmul.pack(w, b, n, k, DecodeWeights.BF16));
            assertArrayEquals(fp32, bf16);
            float[][] rows = kernel.multiplyRows(x, m, SmallMatmul.pack(w, b, n, k, DecodeWeights.BF16));
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(fp32[r * n + c], rows[r][c], 0f, "multiplyRows y[" + r + "][" + c + "]");
                }
            }
        }
    }

    /**
     * Any other weights: the bf16 result is the fp32 result over the rounded weights (bit for bit),
     * and so within the rounding's bound of the unrounded one: round to nearest moves each weight by
     * at most 2^-8 of itself (half a unit in the last place of bf16's 8-bit significand), so
     * |Δy| ≤ 2^-8 · Σ|x·w|, plus float32 summation noise.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 37, 19", "8, 100, 67", "12, 33, 129", "33, 70, 9"})
    void bf16IsTheFp32ResultOverTheRoundedWeights(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(7L * m + n + 3L * k);
        float[] w = KernelTest.gaussian(rnd, n * k);
        float[] wr = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wr[i] = rounded(w[i]);
        }
        float[] b = KernelTest.gaussian(rnd, n);
        float[] x = KernelTest.gaussian(rnd, m * k);
        try (SmallMatmul kernel = new SmallMatmul(2)) {
            float[] bf16 = kernel.multiply(x, m, SmallMatmul.pack(w, b, n, k, DecodeWeights.BF16));
            assertArrayEquals(kernel.multiply(x, m, SmallMatmul.pack(wr, b, n, k)), bf16);
            float[] fp32 = kernel.multiply(x, m, SmallMatmul.pack(w, b, n, k));
            boolean anyDiffers = false;
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    double mass = 0;
                    for (int i = 0; i < k; i++) {
                        mass += Math.abs(x[r * k + i] * w[c * k + i]);
                    }
                    double tol = mass * (0x1p-8 + 4e-6) + 1e-6;
                    float d = Math.abs(fp32[r * n + c] - bf16[r * n + c]);
                    assertTrue(d <= tol, "y[" + r + "][" + c + "]: |Δ| " + d + " > " + tol);
                    anyDiffers |= d != 0;
                }
            }
            assertTrue(anyDiffers, "random float32 weights are not all bf16 values: the results must differ somewhere");
        }
    }

    @Test
    void aNanWeightStaysNanInItsColumnOnly() {
        int n = 40;
        int k = 5;
        float[] w = new float[n * k];
        java.util.Arrays.fill(w, 0.5f);
        w[20 * k + 3] = Float.NaN;                          // column 20: a high half on AVX2 (width 16), low on AVX-512
        w[3 * k + 1] = Float.POSITIVE_INFINITY;
        float[] x = {1, 1, 1, 1, 1};
        try (SmallMatmul kernel = new SmallMatmul(1)) {
            float[] y = kernel.multiply(x, 1, SmallMatmul.pack(w, null, n, k, DecodeWeights.BF16));
            for (int c = 0; c < n; c++) {
                if (c == 20) {
                    assertTrue(Float.isNaN(y[c]), "NaN weight must give NaN, got " + y[c]);
                } else if (c == 3) {
                    assertEquals(Float.POSITIVE_INFINITY, y[c]);
                } else {
                    assertFalse(Float.isNaN(y[c]) || Float.isInfinite(y[c]), "column " + c + ": " + y[c]);
                    assertEquals(2.5f, y[c], 0f, "column " + c);
                }
            }
        }
    }

    @Test
    void formatNamesParseAndOthersAreRefused() {
        assertEquals(DecodeWeights.FP32, DecodeWeights.parse("fp32"));
        assertEquals(DecodeWeights.BF16, DecodeWeights.parse(" BF16 "));
        assertEquals("bf16", DecodeWeights.BF16.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecodeWeights.parse("f16"));
        assertTrue(e.getMessage().contains("fp32 or bf16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecodeWeights.parse(null));
    }
}
