package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where the real tokens of a padded batch are, so that a forward over it computes no padding.
 *
 * <p>Every per-token op of a layer (LayerNorms, the linears, GELU, residual adds) runs over the N
 * real tokens packed end to end, [1, N, c]; only attention, whose causal and padding mask is laid
 * out per row, sees the padded layout [B, T, c]. A batch of abstracts of mixed lengths then
 * multiplies exactly its tokens in one forward, instead of its padding too (one padded forward) or
 * several forwards of similar-length rows.
 *
 * <p>Moving between the two layouts is a row gather. Padding positions of the padded layout hold a
 * copy of their row's first real token: attention masks them as keys and their query rows are
 * dropped, so what they hold never reaches a real token.
 */
final class RealTokens {
    private final int rows;
    private final int cols;
    /** [N] padded position r·T + j of each real token, row by row. */
    private final long[] real;
    /** [B·T] each padded position's index in {@link #real} (padding: its row's first real token). */
    private final long[] padded;

    private RealTokens(int rows, int cols, long[] real, long[] padded) {
        this.rows = rows;
        this.cols = cols;
        this.real = real;
        this.padded = padded;
    }

    /** The real tokens of a [B][T] mask (every row has one, {@link Batch}); null when there is no padding. */
    static RealTokens of(int[][] mask) {
        int b = mask.length;
        int t = mask[0].length;
        int n = count(mask);
        if (n == b * t) {
            return null;
        }
        long[] real = new long[n];
        long[] padded = new long[b * t];
        int at = 0;
        for (int r = 0; r < b; r++) {
            int first = at;
            for (int j = 0; j < t; j++) {
                if (mask[r][j] == 1) {
                    real[at++] = (long) r * t + j;
                }
            }
            for (int j = 0, next = first; j < t; j++) {
                padded[r * t + j] = mask[r][j] == 1 ? next++ : first;
            }
        }
        return new RealTokens(b, t, real, padded);
    }

    /** Real tokens in a [B][T] mask. */
    static int count(int[][] mask) {
        int n = 0;
        for (int[] row : mask) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** N, the number of real tokens. */
    int count() {
        return real.length;
    }

    /** The real tokens' entries of a flat [B·T] array, [N]. */
    long[] select(long[] flat) {
        long[] out = new long[real.length];
        for (int i = 0; i < real.length; i++) {
            out[i] = flat[(int) real[i]];
        }
        return out;
    }

    /** [1, N, c] → [B, T, c], padding positions holding their row's first real token; on x's manager. */
    NDArray toPadded(NDArray x) {
        long c = x.getShape().tail();
        try (NDArray flat = x.reshape(real.length, c)) {
            return Ops.rows(x.getManager(), padded, flat).reshape(rows, cols, c);
        }
    }

    /** [1, N, c] → [B, T, c] with zeros at the padding positions, for a forward's outputs; on x's manager. */
    NDArray toPaddedWithZeros(NDArray x) {
        long c = x.getShape().tail();
        long[] index = new long[padded.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = real[(int) padded[i]] == i ? padded[i] : real.length;          // padding: the zero row below
        }
        NDManager m = x.getManager();
        try (NDArray flat = x.reshape(real.length, c);
             NDArray zero = m.zeros(new Shape(1, c), x.getDataType());
             NDArray table = NDArrays.concat(new NDList(flat, zero), 0)) {
            return Ops.rows(m, index, table).reshape(rows, cols, c);
        }
    }

    /** [B, T, c] → [1, N, c]; on x's manager. */
    NDArray toReal(NDArray x) {
        long c = x.getShape().tail();
        try (NDArray flat = x.reshape((long) rows * cols, c)) {
            return Ops.rows(x.getManager(), real, flat).reshape(1, real.length, c);
        }
    }
}
