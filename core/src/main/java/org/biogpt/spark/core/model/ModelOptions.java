package org.biogpt.spark.core.model;

/**
 * Run-time choices that are not part of the checkpoint.
 *
 * @param intraOpThreads libtorch threads per calling thread; ≤ 0 means all available cores
 * @param lengthPolicy   rows longer than max_position_embeddings: error (default) or truncate
 * @param decodeKernel   run decode-step linears (≤ 64 rows) on the Java Vector API kernel when the
 *                       JVM has {@code --add-modules jdk.incubator.vector} (otherwise DJL/MKL is
 *                       used anyway); default off (on this machine it measured slower end to end than
 *                       DJL/MKL and it keeps a second, packed copy of the weights on the heap), on with
 *                       {@code -Dbiogpt.decodeKernel=true}
 */
public record ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy, boolean decodeKernel) {

    public ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy) {
        this(intraOpThreads, lengthPolicy, defaultDecodeKernel());
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, LengthPolicy.ERROR, defaultDecodeKernel());
    }

    public ModelOptions withThreads(int threads) {
        return new ModelOptions(threads, lengthPolicy, decodeKernel);
    }

    public ModelOptions withLengthPolicy(LengthPolicy policy) {
        return new ModelOptions(intraOpThreads, policy, decodeKernel);
    }

    public ModelOptions withDecodeKernel(boolean on) {
        return new ModelOptions(intraOpThreads, lengthPolicy, on);
    }

    private static boolean defaultDecodeKernel() {
        return Boolean.parseBoolean(System.getProperty("biogpt.decodeKernel", "false"));
    }
}
