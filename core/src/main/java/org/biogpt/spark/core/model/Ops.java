package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few tensor operations the model is written in. Every op puts the activation first: DJL
 * attaches a result to the manager of its first input, and a weight first would leak the result
 * onto the long-lived weights' manager.
 */
final class Ops {
    private Ops() {
    }

    /** y = x·Wᵀ + b over the last axis; W as stored, [out, in]. */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null
                ? Linear.linear(x, weight).singletonOrThrow()
                : Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** The array's memory in native byte order: a view of libtorch's memory when it is contiguous, else a copy. */
    static ByteBuffer memory(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /**
     * A new float32 array of {@code shape} on the manager holding {@code values}: an empty array
     * in memory libtorch owns, filled through a view of that memory. (Not create(float[]): that
     * wraps a Java direct buffer, freed when that NDArray object is collected, while views of the
     * result, such as a KV-cache entry, may outlive it.)
     */
    static NDArray filled(NDManager manager, Shape shape, float[] values) {
        if (manager.getDevice().isGpu()) {
            return manager.create(values, shape);   // copied to the device: the device array owns its memory
        }
        NDArray a = manager.create(shape, DataType.FLOAT32);
        memory(a).asFloatBuffer().put(values);
        return a;
    }

    /** The array in float32: itself when it already is, else a widened copy on the same device and manager. */
    static NDArray f32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    }

    /** The array's values as a Java float32 array, copied from the device and widened where needed. */
    static float[] hostFloats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray wide = a.toType(DataType.FLOAT32, false)) {
            return wide.toFloatArray();
        }
    }

    /** LayerNorm over the last axis with the reference's eps (1e-5, not config.layer_norm_eps). */
    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().tail()), gamma, beta, BioGptConfig.LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    /** Rows of a 2-D table: table[index[i]] for every i; the result lives on the index's manager. */
    static NDArray rows(NDArray index, NDArray table2d) {
        return Embedding.embedding(index, table2d, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Rows of a 2-D table picked by Java indices; the result lives on {@code manager}. */
    static NDArray rows(NDManager manager, long[] index, NDArray table2d) {
        try (NDArray idx = manager.create(index)) {
            return rows(idx, table2d);
        }
    }

    static NDArray activation(String name, NDArray x) {
        switch (name) {
            case "gelu":
                return ai.djl.nn.Activation.gelu(x); // torch's default: exact erf form
            case "relu":
                return ai.djl.nn.Activation.relu(x);
            default:
                throw new IllegalArgumentException("unsupported activation " + name);
        }
    }
}
