package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.kernel.Epilogue;
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * The linear layers of one model: y = x·Wᵀ + b through DJL/MKL ({@link Ops#linear}), or, in
 * generation's decode steps with {@link #MIN_KERNEL_ROWS}..{@link #MAX_KERNEL_ROWS} rows, through
 * the Vector API kernel over a packed copy of W.
 *
 * <p>Why only there: a decode step multiplies every weight by a handful of rows, where MKL's
 * sgemm runs far below its wide-input speed and the kernel about twice as fast as it (both
 * bound by streaming the weights from memory). Prefill-sized inputs stay on MKL, which is
 * faster there. Figures: {@code docs/PERFORMANCE.md}.
 *
 * <p>The packed copy is as large as the linears' weights (half as large in
 * {@link ModelOptions#decodeWeights()} bf16) and lives on the
 * Java heap ({@link PackedMatrix} says why). The kernel's threads write it straight from libtorch's
 * memory at the first decode step (no re-laid copy in libtorch on the way), so models used only for scoring,
 * classification or embeddings never pay for it; where it does not fit the heap
 * ({@link HeapBudget}) decode steps stay on DJL/MKL, with a warning.
 */
final class Linears implements AutoCloseable {
    /** Smallest M = B·T sent to the kernel. */
    static final int MIN_KERNEL_ROWS = 1;
    /**
     * Largest M = B·T sent to the kernel (-Dbiogpt.maxKernelRows overrides it, for other machines).
     * Up to here the Java step beat MKL per decode step end to end (docs/PERFORMANCE.md); the gap
     * narrows as the step becomes compute-bound, and wider steps (beam search over big batches)
     * are not measured and stay on MKL.
     */
    static final int MAX_KERNEL_ROWS = Integer.getInteger("biogpt.maxKernelRows", 64);

    private static final java.util.concurrent.atomic.AtomicBoolean KERNEL_OFF_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

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

    /**
     * DJL-only linears, or with the kernel for decode steps when the options ask, the JVM has the
     * Vector API and the model is on the CPU in float32.
     */
    static Linears create(BioGptWeights weights, ModelOptions options, int threads) {
        boolean host = options.placement().isHostF32();
        if (host && options.decodeKernel() && !SmallMatmul.available() && KERNEL_OFF_LOGGED.compareAndSet(false, true)) {
            // Otherwise the slower path is silent: a library user's JVM usually lacks the module flag.
            System.getLogger(Linears.class.getName()).log(System.Logger.Level.WARNING, "generation's decode steps run on "
                    + "DJL/MKL, not the Vector API kernel: " + SmallMatmul.unavailableReason() + " (add "
                    + "--add-modules=jdk.incubator.vector to the JVM options, e.g. spark.driver.extraJavaOptions and "
                    + "spark.executor.extraJavaOptions; -Dbiogpt.decodeKernel=false silences this)");
        }
        boolean on = host && options.decodeKernel() && SmallMatmul.available();
        SmallMatmul kernel = on ? new SmallMatmul(threads) : null;
        return new Linears(weights, kernel, new Packed(kernel, options.decodeWeights()), false);
    }

    /** The linears for a decode step (a forward that extends a cache): the kernel may take them. */
    Linears forDecode() {
        return decodeView;
    }

    /** Whether a forward of m = B·T rows through these linears runs on the kernel. */
    boolean usesKernel(long m) {
        return decodeView == this && kernel != null && m >= MIN_KERNEL_ROWS && m <= MAX_KERNEL_ROWS
                && packs.refusal(weights) == null;
    }

    /** Why the kernel's weights were not packed (they do not fit the heap); null if they were or may be. */
    String packingRefusal() {
        return kernel == null ? null : packs.refusal(weights);
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
        float[] y = kernel.multiply(rowMajor(x, m, p.cols()), (int) m, p);         // [m, out]
        long[] out = shape.getShape().clone();
        out[out.length - 1] = p.rows();
        return Ops.filled(x.getManager(), new Shape(out), y);
    }

    /**
     * As {@link #apply} for x [m, in], as one array per row: the LM head's logits, [B][V]. On the
     * kernel the rows come straight from its result, without the round trip through libtorch.
     */
    float[][] applyRows(NDArray x, NDArray weight, NDArray bias) {
        long m = x.getShape().get(0);
        PackedMatrix p = x.getShape().dimension() == 2 && usesKernel(m) ? packs.get(weights, weight) : null;
        if (p == null) {
            try (NDArray y = apply(x, weight, bias)) {
                return BioGptModel.to2d(y);
            }
        }
        return kernel.multiplyRows(rowMajor(x, m, p.cols()), (int) m, p);
    }

    /** x [..., in] with m rows of {@code in} floats, as a Java array. */
    private static float[] rowMajor(NDArray x, long m, int in) {
        float[] xs = new float[Math.toIntExact(m * in)];
        Ops.memory(x).asFloatBuffer().get(xs);
        return xs;
    }

    /**
     * y = x·Wᵀ + b on the kernel, then the epilogue, for Java-side decode steps ({@link DecodeStep}
     * checks {@link #allPacked} first); null when W has no packed copy or m is out of range.
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

    /** Runs a task split over the kernel's threads (see {@link SmallMatmul#parallel}); needs the kernel. */
    void parallel(int count, int chunk, SmallMatmul.Range task) {
        kernel.parallel(count, chunk, task);
    }

    /**
     * q, k and v of one layer in one kernel call over their fused packed copy.
     *
     * @param x [m, d] row-major
     * @return {q, k, v}, each [m, d] row-major
     */
    float[][] multiplyQkv(float[] x, int m, LayerWeights w) {
        int d = (int) w.qWeight().getShape().get(0);
        float[] fused = kernel.multiply(x, m, packs.qkv(weights, w), Epilogue.NONE);  // [m, 3d]
        float[][] out = new float[3][m * d];
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < 3; i++) {
                System.arraycopy(fused, (3 * r + i) * d, out[i], r * d, d);
            }
        }
        return out;
    }

    /** Whether every weight a decode step multiplies has a packed copy (packing them if not yet done). */
    boolean allPacked() {
        if (kernel == null) {
            return false;
        }
        for (LayerWeights w : weights.layers()) {
            if (packs.qkv(weights, w) == null) {
                return false;
            }
            for (NDArray a : new NDArray[] {w.outWeight(), w.fc1Weight(), w.fc2Weight()}) {
                if (packs.get(weights, a) == null) {
                    return false;
                }
            }
        }
        return packs.get(weights, weights.lmHead()) != null;
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        packs.close();
    }

    /**
     * The packed copies of every linear's weight, made together on first use if they fit the heap
     * ({@link HeapBudget}, checked once, when a decode step first asks).
     */
    private static final class Packed implements AutoCloseable {
        private static final System.Logger LOG = System.getLogger(Linears.class.getName());
        /** W (by identity) → packed W + bias; each layer's fused [q; k; v] by its LayerWeights. */
        private record Tables(Map<NDArray, PackedMatrix> single, Map<LayerWeights, PackedMatrix> qkv) {
        }

        private final SmallMatmul kernel;                   // packs on its threads; null: nothing is ever packed
        private final DecodeWeights format;
        private volatile Tables tables;
        private volatile String refusal;
        private volatile boolean budgetChecked;

        Packed(SmallMatmul kernel, DecodeWeights format) {
            this.kernel = kernel;
            this.format = format;
        }

        /** The packed copy of one weight; null (MKL) for a weight not packed, q, k and v included. */
        PackedMatrix get(BioGptWeights weights, NDArray weight) {
            return tables(weights).single().get(weight);
        }

        /** The layer's fused [q; k; v] packed copy, or null. */
        PackedMatrix qkv(BioGptWeights weights, LayerWeights layer) {
            return tables(weights).qkv().get(layer);
        }

        private Tables tables(BioGptWeights weights) {
            Tables t = tables;
            if (t == null) {
                synchronized (this) {
                    if (tables == null) {
                        tables = refusal(weights) == null ? packAll(weights, kernel, format) : new Tables(Map.of(), Map.of());
                    }
                    t = tables;
                }
            }
            return t;
        }

        /** Null when the packed copies fit the heap (or exist); why not otherwise. Decided once. */
        String refusal(BioGptWeights weights) {
            if (!budgetChecked) {
                synchronized (this) {
                    if (!budgetChecked) {
                        refusal = HeapBudget.refusal(bytesToPack(weights, format));
                        if (refusal != null) {
                            LOG.log(System.Logger.Level.WARNING, "decode steps stay on DJL/MKL, not the Vector API kernel: " + refusal);
                        }
                        budgetChecked = true;
                    }
                }
            }
            return refusal;
        }

        /** Heap bytes {@link #packAll} will take. */
        private static long bytesToPack(BioGptWeights weights, DecodeWeights format) {
            long sum = packedBytes(weights.lmHead(), 0, format);
            for (LayerWeights w : weights.layers()) {
                sum += packedBytes(w.qWeight(), w.kWeight().getShape().get(0) + w.vWeight().getShape().get(0), format);
                sum += packedBytes(w.outWeight(), 0, format) + packedBytes(w.fc1Weight(), 0, format) + packedBytes(w.fc2Weight(), 0, format);
            }
            return sum;
        }

        /** Bytes of W packed with {@code extraRows} more rows fused below it; 0 where it is not packed. */
        private static long packedBytes(NDArray w, long extraRows, DecodeWeights format) {
            long[] s = w.getShape().getShape();
            return packable(w.getDataType(), s[0] + extraRows, s[1])
                    ? PackedMatrix.packedBytes(s[0] + extraRows, s[1], SmallMatmul.panelWidth(), format) : 0;
        }

        private static boolean packable(DataType type, long n, long k) {
            return type == DataType.FLOAT32 && PackedMatrix.fits(n, k, SmallMatmul.panelWidth());
        }

        long bytes() {
            Tables t = tables;
            long sum = 0;
            if (t != null) {
                for (PackedMatrix p : t.single().values()) {
                    sum += p.bytes();
                }
                for (PackedMatrix p : t.qkv().values()) {
                    sum += p.bytes();
                }
            }
            return sum;
        }

        /**
         * Every layer's q, k and v fused into one [3d, d] matrix (one call and one long memory
         * stream per layer instead of three), out, fc1, fc2 and the LM head. Read straight from
         * libtorch's memory by the kernel's threads.
         */
        private static Tables packAll(BioGptWeights weights, SmallMatmul kernel, DecodeWeights format) {
            Map<NDArray, PackedMatrix> single = new IdentityHashMap<>();
            Map<LayerWeights, PackedMatrix> qkv = new IdentityHashMap<>();
            for (LayerWeights w : weights.layers()) {
                NDArray[] ws = {w.qWeight(), w.kWeight(), w.vWeight()};
                NDArray[] bs = {w.qBias(), w.kBias(), w.vBias()};
                PackedMatrix p = pack(ws, concat(ws, bs), kernel, format);
                if (p != null) {
                    qkv.put(w, p);
                }
                for (NDArray[] pair : new NDArray[][] {{w.outWeight(), w.outBias()}, {w.fc1Weight(), w.fc1Bias()}, {w.fc2Weight(), w.fc2Bias()}}) {
                    p = pack(new NDArray[] {pair[0]}, floats(pair[1]), kernel, format);
                    if (p != null) {
                        single.put(pair[0], p);
                    }
                }
            }
            PackedMatrix lm = pack(new NDArray[] {weights.lmHead()}, null, kernel, format);
            if (lm != null) {
                single.put(weights.lmHead(), lm);
            }
            return new Tables(single, qkv);
        }

        /** W = the blocks stacked (F32, small enough for int offsets) packed onto the heap; null (MKL) otherwise. */
        private static PackedMatrix pack(NDArray[] blocks, float[] bias, SmallMatmul kernel, DecodeWeights format) {
            long n = 0;
            long k = blocks[0].getShape().get(1);
            ByteBuffer[] memory = new ByteBuffer[blocks.length];
            for (int i = 0; i < blocks.length; i++) {
                long[] s = blocks[i].getShape().getShape();
                if (blocks[i].getDataType() != DataType.FLOAT32 || s[1] != k) {
                    return null;
                }
                n += s[0];
                memory[i] = Ops.memory(blocks[i]);
            }
            if (!packable(DataType.FLOAT32, n, k)) {
                return null;
            }
            return PackedMatrix.ofRowBlocks(memory, bias, (int) k, SmallMatmul.panelWidth(), format, kernel);
        }

        private static float[] floats(NDArray a) {
            return a == null ? null : a.toFloatArray();
        }

        /** The biases end to end; missing ones are zeros of their weight's height. */
        private static float[] concat(NDArray[] weights, NDArray[] biases) {
            int n = 0;
            for (NDArray w : weights) {
                n += (int) w.getShape().get(0);
            }
            float[] out = new float[n];
            int at = 0;
            for (int i = 0; i < weights.length; i++) {
                int h = (int) weights[i].getShape().get(0);
                if (biases[i] != null) {
                    System.arraycopy(biases[i].toFloatArray(), 0, out, at, h);
                }
                at += h;
            }
            return out;
        }

        @Override
        public synchronized void close() {
            tables = null;
        }
    }
}
