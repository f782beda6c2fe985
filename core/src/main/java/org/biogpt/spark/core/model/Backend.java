package org.biogpt.spark.core.model;

import java.util.concurrent.atomic.LongAdder;
import org.biogpt.spark.core.kernel.Epilogue;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * Decides which backend runs a forward call, and says why. The one place that decides it.
 *
 * <ul>
 *   <li>{@link Kind#JAVA_STEP}: a generation decode step (one new token per row over the key/value
 *       cache, at most {@link #maxKernelRows()} rows) runs wholly in Java ({@link DecodeStep}: the
 *       Vector API kernel for the linears, Java loops for attention and LayerNorm).</li>
 *   <li>{@link Kind#DJL_KERNEL_LINEARS}: a decode-sized forward the Java step cannot take (several
 *       new columns, the input embeddings asked for, a cache too long for int offsets) runs its
 *       layers on libtorch with the linears on the kernel.</li>
 *   <li>{@link Kind#DJL}: everything else (prefill, scoring, heads, embeddings) on libtorch, whose
 *       GEMM is the faster one at prefill sizes; and every call of a model placed on a GPU (or
 *       computing in f16), since the kernel and the Java step are CPU float32 code.</li>
 * </ul>
 *
 * Why decode steps differ: a step multiplies every weight by a handful of rows, where libtorch's
 * GEMM runs far below its wide-input speed and each of the step's ~650 eager calls costs more than
 * its arithmetic. The kernel's weights are packed (on the Java heap) at the first decode step, so
 * models used only for prefill-like work never pay for them; from then on the packed copy is the
 * decoder layers' only one, and libtorch gets each weight re-laid from it ({@code PackedLinears}).
 */
public final class Backend implements AutoCloseable {
    /** Which code runs a forward call. */
    public enum Kind { DJL, DJL_KERNEL_LINEARS, JAVA_STEP }

    /** The decision for one call and the reason for it, in words. */
    public record Choice(Kind kind, String why) {
    }

    private final BioGptConfig config;
    private final BioGptWeights weights;
    private final ModelOptions options;
    private final Linears linears;
    /** This model's intra-op threads, unless a caller asks for others ({@link DjlRuntime#withThreads}). */
    private final int threads;
    private volatile DecodeStep javaStep;
    private volatile boolean javaStepTried;
    private final LongAdder javaSteps = new LongAdder();

    Backend(BioGptWeights weights, ModelOptions options) {
        this.config = weights.config();
        this.weights = weights;
        this.options = options;
        this.threads = DjlRuntime.resolve(options.intraOpThreads());
        this.linears = Linears.create(weights, options, threads);
    }

    /**
     * The backend for a forward of {@code rows} rows × {@code cols} new columns.
     *
     * @param past             columns already in the key/value cache (0 for prefill or a one-shot forward)
     * @param seqLen           past + cols
     * @param embeddingsWanted whether the caller wants the input embeddings back (only DJL hands them out)
     */
    Choice choose(int rows, int cols, int past, int seqLen, boolean embeddingsWanted) {
        if (past == 0) {
            return new Choice(Kind.DJL, "prefill-sized or one-shot forward: libtorch");
        }
        if (cols != 1 && linears.packedBytes() == 0) {
            return new Choice(Kind.DJL, "several new columns per row before any decode step (scoring a continuation):"
                    + " libtorch; the kernel's weights are packed for decode steps, not for this");
        }
        String refusal = kernelRefusal((long) rows * cols);
        if (refusal != null) {
            return new Choice(Kind.DJL, "decode step on libtorch: " + refusal);
        }
        if (cols != 1 || embeddingsWanted) {
            return new Choice(Kind.DJL_KERNEL_LINEARS, "decode-sized forward of " + cols
                    + " new columns per row" + (embeddingsWanted ? " with its embeddings" : "")
                    + ": libtorch layers, linears on the Vector API kernel");
        }
        if (!DecodeStep.fits(rows, config, seqLen)) {
            return new Choice(Kind.DJL_KERNEL_LINEARS, "a cache of " + seqLen + " positions × " + rows
                    + " rows is too large for the Java step's int offsets: libtorch layers, linears on the kernel");
        }
        if (Epilogue.forActivation(config.hiddenAct()) == null) {
            return new Choice(Kind.DJL_KERNEL_LINEARS, "activation '" + config.hiddenAct()
                    + "' has no Java version: libtorch layers, linears on the kernel");
        }
        return new Choice(Kind.JAVA_STEP, "decode step of " + rows + " rows (at most " + maxKernelRows()
                + "): Java step on the Vector API kernel, " + options.decodeWeights().label() + " weights");
    }

    /** What a greedy decode step of {@code rows} rows runs on, and why (for bench and logs). */
    public Choice forDecodeStep(int rows) {
        return choose(rows, 1, 1, 2, false);
    }

    /** Whether decode steps of {@code rows} rows run their linears on the Vector API kernel. */
    public boolean kernelTakesDecodeStep(int rows) {
        return kernelRefusal(rows) == null;
    }

    /**
     * Why the kernel does not take a decode-step forward of {@code m} = B·T rows; null when it does.
     * Asking may decide whether the packed weights fit the heap (once per model).
     */
    String kernelRefusal(long m) {
        if (!options.placement().isHostF32()) {
            return "the model is on " + options.placement() + ": the Vector API kernel is a CPU float32 backend";
        }
        if (!options.decodeKernel()) {
            return "the decode kernel is off (ModelOptions.decodeKernel, -Dbiogpt.decodeKernel=false)";
        }
        if (!SmallMatmul.available()) {
            return SmallMatmul.unavailableReason();
        }
        if (m < Linears.MIN_KERNEL_ROWS || m > Linears.MAX_KERNEL_ROWS) {
            return m + " rows is more than the kernel's limit of " + Linears.MAX_KERNEL_ROWS
                    + " (-Dbiogpt.maxKernelRows): libtorch's GEMM is as fast there";
        }
        return linears.forDecode().packingRefusal();
    }

    /** Most rows a decode step may have to run on the kernel. */
    public static int maxKernelRows() {
        return Linears.MAX_KERNEL_ROWS;
    }

    /** Decode steps run in Java ({@link Kind#JAVA_STEP}) so far. */
    public long javaSteps() {
        return javaSteps.sum();
    }

    /** Heap bytes of the kernel's packed weights (0 before the first decode step, or when it is off). */
    public long packedWeightBytes() {
        return linears.packedBytes();
    }

    /** Whether the kernel's packed weights are the decoder layers' only copy (libtorch's was released after packing). */
    public boolean packedOnly() {
        return weights.packed().releasedLibtorchCopies();
    }

    /** Why the packed weights do not fit the Java heap; null when they do or the kernel is off. */
    public String packingRefusal() {
        return linears.forDecode().packingRefusal();
    }

    /** The linears of a prefill-like forward, or of a decode step (which the kernel may take). */
    Linears linears(boolean decodeStep) {
        return decodeStep ? linears.forDecode() : linears;
    }

    /**
     * Sets libtorch's intra-op threads on the calling thread for a forward of {@code rows} = B·T
     * rows: 1 while the kernel's own threads run the linears (libtorch's OpenMP threads would
     * otherwise spin against them for the same cores), the configured count otherwise.
     */
    void configureThreads(long rows, boolean decodeStep) {
        DjlRuntime.configureCurrentThread(linears(decodeStep).usesKernel(rows) ? 1 : DjlRuntime.callThreads(threads));
    }

    /**
     * The Java decode step, for a call {@link #choose} gave {@link Kind#JAVA_STEP}; made (and the
     * weights packed) on first use. Null where some linear has no packed copy: that call then runs
     * as {@link Kind#DJL_KERNEL_LINEARS}. Deciding never packs: only running a step does.
     */
    DecodeStep javaStep() {
        DecodeStep step = javaDecodeStep();
        if (step != null) {
            javaSteps.increment();
        }
        return step;
    }

    /** The Java decode step, made on first use (it needs the packed weights); null where it cannot run. */
    private DecodeStep javaDecodeStep() {
        if (!javaStepTried) {
            synchronized (this) {
                if (!javaStepTried) {
                    Epilogue act = Epilogue.forActivation(config.hiddenAct());
                    javaStep = act == null ? null : DecodeStep.create(config, weights, linears.forDecode(), act, config.embedScale());
                    javaStepTried = true;
                }
            }
        }
        return javaStep;
    }

    @Override
    public void close() {
        linears.close();
    }
}
