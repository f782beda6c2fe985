package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Packing from native row blocks (the model's path) lays W out exactly as the plain Java packer. */
class PackedMatrixTest {

    @Test
    void stackedNativeBlocksPackLikeTheirConcatenation() {
        SplittableRandom rnd = new SplittableRandom(9);
        int k = 37;
        int[] heights = {29, 40, 3};                       // 72 rows: two full 32-wide panels and a ragged one on AVX-512
        int n = 72;
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] bias = new float[n];
        for (int i = 0; i < n; i++) {
            bias[i] = i * 0.5f;
        }
        ByteBuffer[] blocks = new ByteBuffer[heights.length];
        int at = 0;
        for (int b = 0; b < heights.length; b++) {
            blocks[b] = ByteBuffer.allocateDirect(4 * heights[b] * k).order(ByteOrder.nativeOrder());
            blocks[b].asFloatBuffer().put(w, at * k, heights[b] * k);
            at += heights[b];
        }
        int width = SmallMatmul.panelWidth();
        PackedMatrix expected = PackedMatrix.pack(w, bias, n, k, width);
        try (SmallMatmul threads = new SmallMatmul(2)) {
            PackedMatrix actual = PackedMatrix.ofRowBlocks(blocks, bias, k, width, threads);
            assertEquals(n, actual.rows());
            assertEquals(k, actual.cols());
            assertArrayEquals(expected.panels, actual.panels);
            assertArrayEquals(expected.bias, actual.bias);
        }
    }

    @Test
    void unpackingGivesBackTheStoredRowsBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        int width = SmallMatmul.panelWidth();
        int k = 300;                                        // more than one block of k, a ragged last block
        int n = 9 * width + 5;                              // more than one group of panels, a ragged last panel
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = Float.intBitsToFloat(rnd.nextInt());     // any bit pattern, NaNs included, must come back as it was
        }
        PackedMatrix p = PackedMatrix.pack(w, null, n, k, width);
        int[][] ranges = {{0, n}, {0, width}, {width - 3, 2 * width + 1}, {3, 8 * width + 2}, {n - 2, n}, {7, 7}};
        try (SmallMatmul threads = new SmallMatmul(2)) {
            for (SmallMatmul t : new SmallMatmul[] {null, threads}) {
                for (int[] range : ranges) {
                    int rows = range[1] - range[0];
                    FloatBuffer dst = ByteBuffer.allocateDirect(4 * (rows * k + 3)).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    p.unpack(range[0], range[1], dst, t);
                    for (int r = 0; r < rows; r++) {
                        for (int kk = 0; kk < k; kk++) {
                            assertEquals(Float.floatToRawIntBits(w[(range[0] + r) * k + kk]), Float.floatToRawIntBits(dst.get(r * k + kk)),
                                    "rows " + range[0] + ".." + range[1] + ": W[" + (range[0] + r) + ", " + kk + "]");
                        }
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> p.unpack(0, n + 1, FloatBuffer.allocate((n + 1) * k), null));
            assertThrows(IllegalArgumentException.class, () -> p.unpack(0, 2, FloatBuffer.allocate(k), null));
        }
    }

    @Test
    void aBlockOfPartialRowsIsRefused() {
        ByteBuffer odd = ByteBuffer.allocateDirect(4 * 10).order(ByteOrder.nativeOrder());
        try (SmallMatmul threads = new SmallMatmul(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> PackedMatrix.ofRowBlocks(new ByteBuffer[] {odd}, null, 4, SmallMatmul.panelWidth(), threads));
        }
    }
}
