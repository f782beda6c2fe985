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
import org.biogpt.spark.core.kernel.Epilogue;
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * The linear layers of one model: y = x·Wᵀ + b through DJL/MKL ({@link Ops#linear}), or, in
 * generation's decode steps with {@link #MIN_KERNEL_ROWS}..{@link #MAX_KERNEL_ROWS} rows, through
 * the Vector API kernel over a packed copy of W.
 *
 * <p>Why only there: a decode step multiplies every weight by a handful of rows, where MKL's
 * sgemm runs at ~30 GFLOP/s on 2 cores and the kernel at ~60 (both bound by streaming the
 * weights from memory). Prefill-sized inputs stay on MKL (~170 GFLOP/s), and so does M = 1,
 * which MKL streams faster than the kernel's one-row tile.
 *
 * <p>The packed copy is as large as the linears' weights (~1.4 GB for BioGPT). It is made by
 * libtorch (a padded transpose, well under a second) into native memory, on the first decode
 * step, so models used only for scoring, classification or embeddings never pay for it.
 */
final class Linears implements AutoCloseable {
    /** Smallest M = B·T sent to the kernel. */
    static final int MIN_KERNEL_ROWS = 2;
    /** Largest M = B·T sent to the kernel. */
    static final int MAX_KERNEL_ROWS = 64;

    private final BioGptWeights weights;
    private final SmallMatmul kernel;                        // null: DJL only
    private final Linears decodeView;                        // this, or the view that may use the kernel
    private final Packed packs;                              // shared by both views

    private Linears(BioGptWeights weights, SmallMatmul kernel, Packed packs, boolean decode) {
        this.weights = weights;
        this.kernel = kernel;
        this.packs = packs;
        this.decodeView = decode || kernel == null ? this : new Linears(weights, kernel, packs, true);
    }

    /** DJL-only linears, or with the kernel for decode steps when the options ask and the JVM has the Vector API. */
    static Linears create(BioGptWeights weights, ModelOptions options, int threads) {
        boolean on = options.decodeKernel() && SmallMatmul.available();
        return new Linears(weights, on ? new SmallMatmul(threads) : null, new Packed(), false);
    }

    /** The linears for a decode step (a forward that extends a cache): the kernel may take them. */
    Linears forDecode() {
        return decodeView;
    }

    /** Whether a forward of m = B·T rows through these linears runs on the kernel. */
    boolean usesKernel(long m) {
        return decodeView == this && kernel != null && m >= MIN_KERNEL_ROWS && m <= MAX_KERNEL_ROWS;
    }

    /** Bytes of the packed copies (0 until the first decode step, and when the kernel is off). */
    long packedBytes() {
        return packs.bytes();
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
        PackedMatrix p = usesKernel(m) ? packs.get(weights, weight) : null;
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

    /**
     * y = x·Wᵀ + b on the kernel, then the epilogue, for Java-side decode steps; null when W has
     * no packed copy (the caller falls back to libtorch).
     *
     * @param x [m, in] row-major
     * @return [m, out] row-major
     */
    float[] multiply(float[] x, int m, NDArray weight, Epilogue epilogue) {
        if (!usesKernel(m)) {
            return null;
        }
        PackedMatrix p = packs.get(weights, weight);
        return p == null ? null : kernel.multiply(x, m, p, epilogue);
    }

    /** Whether every weight a decode step multiplies has a packed copy (packing them if not yet done). */
    boolean allPacked() {
        if (kernel == null) {
            return false;
        }
        int linears = 0;
        for (LayerWeights w : weights.layers()) {
            for (NDArray a : new NDArray[] {w.qWeight(), w.kWeight(), w.vWeight(), w.outWeight(), w.fc1Weight(), w.fc2Weight()}) {
                linears += packs.get(weights, a) == null ? 0 : 1;
            }
        }
        return linears == 6 * weights.layers().size() && packs.get(weights, weights.lmHead()) != null;
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
        packs.close();
    }

    /** The packed copies of every linear's weight, made together on first use. */
    private static final class Packed implements AutoCloseable {
        private volatile Map<NDArray, PackedMatrix> byWeight;    // W (by identity) → packed W + bias
        private final List<NDArray> owned = new ArrayList<>();   // the panels' native arrays

        PackedMatrix get(BioGptWeights weights, NDArray weight) {
            Map<NDArray, PackedMatrix> map = byWeight;
            if (map == null) {
                synchronized (this) {
                    if (byWeight == null) {
                        byWeight = packAll(weights);
                    }
                    map = byWeight;
                }
            }
            return map.get(weight);                               // null (MKL) for a weight not packed
        }

        long bytes() {
            Map<NDArray, PackedMatrix> map = byWeight;
            long sum = 0;
            if (map != null) {
                for (PackedMatrix p : map.values()) {
                    sum += p.bytes();
                }
            }
            return sum;
        }

        private Map<NDArray, PackedMatrix> packAll(BioGptWeights weights) {
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
            Map<NDArray, PackedMatrix> map = new IdentityHashMap<>();
            int width = SmallMatmul.panelWidth();
            for (NDArray[] pair : pairs) {
                long[] s = pair[0].getShape().getShape();
                if (pair[0].getDataType() != DataType.FLOAT32 || !PackedMatrix.fits(s[0], s[1], width)) {
                    continue;
                }
                NDArray panels = panels(pair[0], width);
                owned.add(panels);
                float[] bias = pair[1] == null ? null : pair[1].toFloatArray();
                map.put(pair[0], PackedMatrix.ofPanels(panels.toByteBuffer(true), bias, (int) s[0], (int) s[1], width));
            }
            return map;
        }

        /** W [n, k] → [P, k, w] contiguous (P = ⌈n / w⌉, rows past n zero), flattened; on W's manager. */
        private static NDArray panels(NDArray w, int width) {
            long n = w.getShape().get(0);
            long k = w.getShape().get(1);
            long count = (n + width - 1) / width;
            NDArray padded = w;
            if (count * width != n) {
                try (NDArray zeros = w.getManager().zeros(new Shape(count * width - n, k), DataType.FLOAT32)) {
                    padded = w.concat(zeros, 0);                      // [P·w, k]
                }
            }
            try (NDArray view = padded.reshape(count, width, k); NDArray t = view.transpose(0, 2, 1)) {
                return t.reshape(-1);                                  // not viewable: a contiguous copy
            } finally {
                if (padded != w) {
                    padded.close();
                }
            }
        }

        @Override
        public synchronized void close() {
            for (NDArray a : owned) {
                a.close();
            }
            owned.clear();
            byWeight = null;
        }
    }
}
