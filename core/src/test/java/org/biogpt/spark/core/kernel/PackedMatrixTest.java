package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    void aBlockOfPartialRowsIsRefused() {
        ByteBuffer odd = ByteBuffer.allocateDirect(4 * 10).order(ByteOrder.nativeOrder());
        try (SmallMatmul threads = new SmallMatmul(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> PackedMatrix.ofRowBlocks(new ByteBuffer[] {odd}, null, 4, SmallMatmul.panelWidth(), threads));
        }
    }
}
