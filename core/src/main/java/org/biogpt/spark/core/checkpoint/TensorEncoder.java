package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Streams a {@link TensorData}'s values as little-endian bytes of a storage dtype, a chunk at a
 * time, so writers never hold a whole tensor (BioGPT-Large's embedding alone is 370 MB in F32).
 */
final class TensorEncoder {
    private static final int CHUNK = 1 << 16;

    /** Receives consecutive chunks of encoded bytes. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    private final DType dtype;
    private final float[] values = new float[CHUNK];
    private final ByteBuffer out;

    TensorEncoder(DType dtype) {
        this.dtype = dtype;
        this.out = ByteBuffer.allocate(CHUNK * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void encode(TensorData t, Sink sink) throws IOException {
        long n = t.numel();
        for (long start = 0; start < n; start += CHUNK) {
            int count = (int) Math.min(CHUNK, n - start);
            t.read(start, values, count);
            out.clear();
            for (int i = 0; i < count; i++) {
                switch (dtype) {
                    case F32 -> out.putFloat(values[i]);
                    case F16 -> out.putShort(Float16.floatToF16(values[i]));
                    case BF16 -> out.putShort(Float16.floatToBf16(values[i]));
                }
            }
            sink.accept(out.flip());
        }
    }
}
