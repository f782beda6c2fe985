package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
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
 * ({@link HeapBudget}) decode steps stay on DJL/MKL, with a warning. Once packed in fp32, it is the decoder
 * layers' only copy: libtorch's is released, and libtorch multiplications get the weight re-laid
 * ({@link PackedLinears}).
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
    private final PackedLinears packs;                       // the weights', shared by every model on them
    private final DecodeWeights format;                      // the packed copy's number format

    private Linears(BioGptWeights weights, SmallMatmul kernel, DecodeWeights format, boolean decode) {
        this.weights = weights;
        this.kernel = kernel;
        this.packs = weights.packed();
        this.format = format;
        this.decodeView = decode || kernel == null ? this : new Linears(weights, kernel, format, true);
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
        return new Linears(weights, kernel, options.decodeWeights(), false);
    }

    /** The linears for a decode step (a forward that extends a cache): the kernel may take them. */
    Linears forDecode() {
        return decodeView;
    }

    /** Whether a forward of m = B·T rows through these linears runs on the kernel. */
    boolean usesKernel(long m) {
        return decodeView == this && kernel != null && m >= MIN_KERNEL_ROWS && m <= MAX_KERNEL_ROWS
                && packs.refusal(format) == null;
    }

    /** Why the kernel's weights were not packed (they do not fit the heap); null if they were or may be. */
    String packingRefusal() {
        return kernel == null ? null : packs.refusal(format);
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
        PackedMatrix p = usesKernel(m) ? packs.get(weight, kernel, format) : null;
        if (p == null) {
            return packs.linear(x, weight, bias, kernel);
        }
        float[] y = kernel.multiply(rowMajor(x, m, p.cols()), (int) m, p);         // [m, out]
        long[] out = shape.getShape().clone();
        out[out.length - 1] = p.rows();
        return Ops.filled(x.getManager(), new Shape(out), y);
    }

    /**
     * q, k and v of one layer ({@link #apply} with each of its three projections): on the kernel,
     * one call over their fused packed copy.
     *
     * @param h [..., d]
     * @return {q, k, v}, each [..., d], on h's manager
     */
    NDArray[] applyQkv(NDArray h, LayerWeights w) {
        Shape shape = h.getShape();
        long m = shape.size() / shape.tail();
        PackedMatrix p = usesKernel(m) ? packs.qkv(w, kernel, format) : null;
        if (p == null) {
            return packs.qkvLinear(h, w, kernel);
        }
        int d = p.rows() / 3;
        float[][] qkv = new float[3][Math.toIntExact(m * d)];
        multiplyQkv(rowMajor(h, m, p.cols()), (int) m, w, new float[Math.toIntExact(m * p.rows())], qkv);
        NDArray[] out = new NDArray[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Ops.filled(h.getManager(), shape, qkv[i]);
        }
        return out;
    }

    /**
     * As {@link #apply} for x [m, in], as one array per row: the LM head's logits, [B][V]. On the
     * kernel the rows come straight from its result, without the round trip through libtorch.
     */
    float[][] applyRows(NDArray x, NDArray weight, NDArray bias) {
        long m = x.getShape().get(0);
        PackedMatrix p = x.getShape().dimension() == 2 && usesKernel(m) ? packs.get(weight, kernel, format) : null;
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
     * y = x·Wᵀ + b on the kernel, then the epilogue, into y, for Java-side decode steps
     * ({@link DecodeStep} is made only when {@link #allPacked}, and runs only m the kernel takes).
     *
     * @param x [m, in] row-major
     * @param y [m, out] row-major, overwritten
     */
    void multiplyInto(float[] x, int m, NDArray weight, Epilogue epilogue, float[] y) {
        kernel.multiplyInto(x, m, packed(packs.get(weight, kernel, format), m), epilogue, y);
    }

    private PackedMatrix packed(PackedMatrix p, int m) {
        if (p == null || !usesKernel(m)) {
            throw new IllegalStateException("a Java decode step of " + m + " rows needs every linear packed for the kernel");
        }
        return p;
    }

    /** Runs a task split over the kernel's threads (see {@link SmallMatmul#parallel}); needs the kernel. */
    void parallel(int count, int chunk, SmallMatmul.Range task) {
        kernel.parallel(count, chunk, task);
    }

    /**
     * q, k and v of one layer in one kernel call over their fused packed copy.
     *
     * @param x     [m, d] row-major
     * @param fused [m, 3d] scratch for the kernel's result
     * @param qkv   {q, k, v}, each [m, d] row-major, overwritten
     */
    void multiplyQkv(float[] x, int m, LayerWeights w, float[] fused, float[][] qkv) {
        int d = (int) w.qWeight().getShape().get(0);
        kernel.multiplyInto(x, m, packed(packs.qkv(w, kernel, format), m), Epilogue.NONE, fused);
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < 3; i++) {
                System.arraycopy(fused, (3 * r + i) * d, qkv[i], r * d, d);
            }
        }
    }

    /** Whether every weight a decode step multiplies has a packed copy (packing them if not yet done). */
    boolean allPacked() {
        if (kernel == null) {
            return false;
        }
        for (LayerWeights w : weights.layers()) {
            if (packs.qkv(w, kernel, format) == null) {
                return false;
            }
            for (NDArray a : new NDArray[] {w.outWeight(), w.fc1Weight(), w.fc2Weight()}) {
                if (packs.get(a, kernel, format) == null) {
                    return false;
                }
            }
        }
        return packs.get(weights.lmHead(), kernel, format) != null;
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
    }
}
