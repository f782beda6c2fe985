package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * The linear layers of one model: y = x·Wᵀ + b through DJL/MKL ({@link Ops#linear}), or, for few
 * rows (decode steps, M = B·T ≤ {@link #MAX_KERNEL_ROWS}), through the Vector API kernel over a
 * packed copy of W made once at load. Prefill-sized inputs always take the MKL path, which is
 * faster there (~170 GFLOP/s against the kernel's ~100).
 *
 * <p>The packed copies live on the Java heap (as large as the linears' weights, ~1.4 GB for
 * BioGPT); if the heap cannot hold them the model falls back to DJL for everything.
 */
final class Linears implements AutoCloseable {
    /** Largest M = B·T sent to the kernel. */
    static final int MAX_KERNEL_ROWS = 64;

    private final SmallMatmul kernel;                       // null: DJL only
    private final Map<NDArray, PackedMatrix> packed;        // W (by identity) → its packed copy + bias

    private Linears(SmallMatmul kernel, Map<NDArray, PackedMatrix> packed) {
        this.kernel = kernel;
        this.packed = packed;
    }

    static Linears djlOnly() {
        return new Linears(null, Map.of());
    }

    /**
     * Packs every layer's q, k, v, out, fc1, fc2 and the LM head when the options ask for the
     * kernel, the JVM has the Vector API and the heap has room; otherwise DJL only.
     */
    static Linears create(BioGptWeights weights, ModelOptions options, int threads) {
        if (!options.decodeKernel() || !SmallMatmul.available()) {
            return djlOnly();
        }
        List<NDArray[]> pairs = new ArrayList<>();              // {W, b or null}
        for (LayerWeights w : weights.layers()) {
            pairs.add(new NDArray[] {w.qWeight(), w.qBias()});
            pairs.add(new NDArray[] {w.kWeight(), w.kBias()});
            pairs.add(new NDArray[] {w.vWeight(), w.vBias()});
            pairs.add(new NDArray[] {w.outWeight(), w.outBias()});
            pairs.add(new NDArray[] {w.fc1Weight(), w.fc1Bias()});
            pairs.add(new NDArray[] {w.fc2Weight(), w.fc2Bias()});
        }
        pairs.add(new NDArray[] {weights.lmHead(), null});
        long need = 0;
        long largest = 0;
        for (NDArray[] p : pairs) {
            long[] s = p[0].getShape().getShape();
            need += PackedMatrix.bytesFor((int) s[0], (int) s[1], SmallMatmul.panelWidth());
            largest = Math.max(largest, 4 * s[0] * s[1]);
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need + 2 * largest + (256L << 20) > free) {
            System.err.printf("biogpt-spark: decode kernel off: packed weights need %d MiB of heap, %d MiB free (raise -Xmx)%n",
                    need >> 20, free >> 20);
            return djlOnly();
        }
        Map<NDArray, PackedMatrix> packed = new IdentityHashMap<>();
        for (NDArray[] p : pairs) {
            long[] s = p[0].getShape().getShape();
            float[] bias = p[1] == null ? null : p[1].toFloatArray();
            packed.put(p[0], SmallMatmul.pack(p[0].toFloatArray(), bias, (int) s[0], (int) s[1]));
        }
        System.gc(); // the toFloatArray() copies were as large as the packed weights: give that heap back
        return new Linears(new SmallMatmul(threads), packed);
    }

    /** Whether a forward of m = B·T rows runs its linears on the kernel. */
    boolean usesKernel(long m) {
        return kernel != null && m <= MAX_KERNEL_ROWS;
    }

    /** Heap bytes of the packed copies (0 when the kernel is off). */
    long packedBytes() {
        long sum = 0;
        for (PackedMatrix p : packed.values()) {
            sum += p.bytes();
        }
        return sum;
    }

    /**
     * y = x·Wᵀ + b over the last axis; W as stored, [out, in]. The result lives on x's manager,
     * as DJL's own ops put it.
     *
     * @param x [..., in]
     * @return [..., out]
     */
    NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        Shape shape = x.getShape();
        long m = shape.size() / shape.tail();
        PackedMatrix p = usesKernel(m) ? packed.get(weight) : null;
        if (p == null) {
            return Ops.linear(x, weight, bias);
        }
        float[] xs = new float[(int) m * p.cols()];
        floats(x).get(xs);
        float[] y = kernel.multiply(xs, (int) m, p);                          // [m, out]
        long[] out = shape.getShape().clone();
        out[out.length - 1] = p.rows();
        // An empty array in memory libtorch owns, filled through a view of that memory. (Not
        // create(float[]): that wraps a Java direct buffer, freed when that NDArray object is
        // collected, while views of the result, such as the first KV-cache entry, may outlive it.)
        NDArray result = x.getManager().create(new Shape(out), DataType.FLOAT32);
        floats(result).put(y);
        return result;
    }

    /** The array's floats: a view of its native memory when it is contiguous, else a copy. */
    private static FloatBuffer floats(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
    }
}
