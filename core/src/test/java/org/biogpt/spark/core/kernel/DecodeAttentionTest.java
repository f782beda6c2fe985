package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Single-query attention over a cache buffer against a plain double-precision softmax(q·kᵀ)·v. */
class DecodeAttentionTest {

    @ParameterizedTest(name = "rows={0} heads={1} hd={2} capacity={3} len={4}")
    @CsvSource({
        "1, 1, 64, 70, 1",
        "3, 16, 64, 102, 55",     // BioGPT's head size: vector loops only
        "2, 4, 64, 40, 32",       // whole vectors in the softmax, no tail
        "2, 3, 20, 9, 7",         // a vector and a scalar tail
        "4, 2, 8, 5, 5",          // scalar only (the tiny fixtures' head size)
    })
    void matchesPlainAttentionAndSkipsMaskedPositions(int rows, int heads, int hd, int capacity, int len) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + hd);
        float[] q = new float[rows * heads * hd];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        ByteBuffer keys = ByteBuffer.allocateDirect(4 * rows * heads * capacity * hd).order(ByteOrder.nativeOrder());
        ByteBuffer values = ByteBuffer.allocateDirect(keys.capacity()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < keys.capacity() / 4; i++) {
            keys.putFloat(4 * i, (float) (rnd.nextDouble() * 2 - 1));
            values.putFloat(4 * i, (float) (rnd.nextDouble() * 2 - 1));
        }
        int[][] mask = new int[rows][len];
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < len; s++) {
                // left padding on odd rows; the last position (the new token) is always attended
                mask[r][s] = r % 2 == 1 && s < len / 3 ? 0 : 1;
            }
        }
        float[] ctx = new float[q.length];
        // in two ranges of (row, head) pairs, as the pool splits them
        int split = rows * heads / 2;
        DecodeAttention.attend(q, keys, values, heads, hd, capacity, len, mask, ctx, 0, split);
        DecodeAttention.attend(q, keys, values, heads, hd, capacity, len, mask, ctx, split, rows * heads);

        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int qo = (r * heads + h) * hd;
                int head = (r * heads + h) * capacity * hd;
                double[] p = new double[len];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < len; s++) {
                    double dot = 0;
                    for (int j = 0; j < hd; j++) {
                        dot += (double) q[qo + j] * keys.getFloat(4 * (head + s * hd + j));
                    }
                    p[s] = mask[r][s] == 1 ? dot : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, p[s]);
                }
                double sum = 0;
                for (int s = 0; s < len; s++) {
                    p[s] = Math.exp(p[s] - max);
                    sum += p[s];
                }
                for (int j = 0; j < hd; j++) {
                    double want = 0;
                    for (int s = 0; s < len; s++) {
                        want += p[s] / sum * values.getFloat(4 * (head + s * hd + j));
                    }
                    assertEquals(want, ctx[qo + j], 1e-5, "ctx[" + r + ", " + h + ", " + j + "]");
                }
            }
        }
    }
}
