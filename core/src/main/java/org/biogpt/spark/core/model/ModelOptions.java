package org.biogpt.spark.core.model;

import java.util.Objects;
import org.biogpt.spark.core.device.Placement;
import org.biogpt.spark.core.kernel.DecodeWeights;

/**
 * Run-time choices that are not part of the checkpoint.
 *
 * @param intraOpThreads libtorch threads per calling thread; ≤ 0 means all available cores
 * @param lengthPolicy   rows longer than max_position_embeddings: error (default) or truncate
 * @param decodeKernel   run generation's decode steps of up to 64 rows (-Dbiogpt.maxKernelRows) in Java on the Vector API kernel
 *                       ({@link DecodeStep}) when the JVM has {@code --add-modules jdk.incubator.vector}
 *                       (otherwise DJL/MKL is used anyway); default on. It packs a second copy of the
 *                       linears' weights onto the Java heap at the first decode step (as large as the
 *                       linears' weights; skipped, with a warning, where the heap is too small);
 *                       {@code -Dbiogpt.decodeKernel=false} keeps everything on DJL/MKL; only on the CPU in f32
 * @param placement      device and float type of weights, cache and activations (default: the CPU in f32)
 * @param decodeWeights  number format of the decode kernel's packed copy: fp32 (default, exact) or bf16
 *                       (half the bytes per decode step and on the heap; logits drift from fp32 by the
 *                       weights' rounding). Only the kernel's copy: prefill, scoring and every libtorch
 *                       path stay float32, and without the kernel it changes nothing
 */
public record ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy, boolean decodeKernel, Placement placement,
                           DecodeWeights decodeWeights) {

    public ModelOptions {
        Objects.requireNonNull(lengthPolicy, "lengthPolicy");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(decodeWeights, "decodeWeights");
    }

    public ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy, boolean decodeKernel, Placement placement) {
        this(intraOpThreads, lengthPolicy, decodeKernel, placement, DecodeWeights.FP32);
    }

    public ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy, boolean decodeKernel) {
        this(intraOpThreads, lengthPolicy, decodeKernel, Placement.cpu());
    }

    public ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy) {
        this(intraOpThreads, lengthPolicy, defaultDecodeKernel());
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, LengthPolicy.ERROR, defaultDecodeKernel());
    }

    public ModelOptions withThreads(int threads) {
        return new ModelOptions(threads, lengthPolicy, decodeKernel, placement, decodeWeights);
    }

    public ModelOptions withLengthPolicy(LengthPolicy policy) {
        return new ModelOptions(intraOpThreads, policy, decodeKernel, placement, decodeWeights);
    }

    public ModelOptions withDecodeKernel(boolean on) {
        return new ModelOptions(intraOpThreads, lengthPolicy, on, placement, decodeWeights);
    }

    public ModelOptions withPlacement(Placement where) {
        return new ModelOptions(intraOpThreads, lengthPolicy, decodeKernel, where, decodeWeights);
    }

    public ModelOptions withDecodeWeights(DecodeWeights format) {
        return new ModelOptions(intraOpThreads, lengthPolicy, decodeKernel, placement, format);
    }

    private static boolean defaultDecodeKernel() {
        return Boolean.parseBoolean(System.getProperty("biogpt.decodeKernel", "true"));
    }
}
