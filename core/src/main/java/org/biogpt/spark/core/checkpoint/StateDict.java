package org.biogpt.spark.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Set;

/**
 * The named tensors of a checkpoint, read lazily. Every tensor comes out as float32 whatever its
 * storage dtype (F16/BF16 are widened in Java: DJL 0.36 aborts the JVM on any bf16 NDArray).
 */
public interface StateDict extends AutoCloseable {

    /** Tensor names in storage order. */
    Set<String> names();

    /** Dtype and shape of a tensor; a clear error if it is absent. */
    TensorInfo info(String name);

    /**
     * The tensor's values as little-endian float32 bytes, row-major. For F32 storage this is a
     * read-only view of the memory-mapped file (no copy); otherwise a new direct buffer.
     */
    ByteBuffer float32Bytes(String name);

    /** Convenience for tests and small tensors: the values as a float array. */
    default float[] readFloats(String name) {
        FloatBuffer fb = float32Bytes(name).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    @Override
    void close();
}
