package org.biogpt.spark.core.checkpoint;

import java.util.Arrays;

/**
 * A tensor to write, produced piece by piece so that a multi-GiB checkpoint never has to be one
 * array: the writer asks for consecutive row-major ranges of float32 values.
 */
public interface TensorData {

    long[] shape();

    /** Fills {@code dst[0, count)} with the values at row-major positions {@code [start, start + count)}. */
    void read(long start, float[] dst, int count);

    default long numel() {
        long n = 1;
        for (long d : shape()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A tensor held in one array (tests, small tensors). */
    static TensorData of(float[] values, long... shape) {
        long[] s = shape.clone();
        TensorData t = new TensorData() {
            @Override
            public long[] shape() {
                return s.clone();
            }

            @Override
            public void read(long start, float[] dst, int count) {
                System.arraycopy(values, Math.toIntExact(start), dst, 0, count);
            }
        };
        if (t.numel() != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + t.numel()
                    + " values, got " + values.length);
        }
        return t;
    }

    /** Values computed from their row-major index, e.g. seeded random weights, never materialised. */
    static TensorData generated(long[] shape, IndexedValues values) {
        long[] s = shape.clone();
        return new TensorData() {
            @Override
            public long[] shape() {
                return s.clone();
            }

            @Override
            public void read(long start, float[] dst, int count) {
                values.fill(start, dst, count);
            }
        };
    }

    /** The generator behind {@link #generated}: same contract as {@link TensorData#read}. */
    @FunctionalInterface
    interface IndexedValues {
        void fill(long start, float[] dst, int count);
    }
}
