package org.biogpt.spark.core.model;

/**
 * Run-time choices that are not part of the checkpoint.
 *
 * @param intraOpThreads libtorch threads per calling thread; ≤ 0 means all available cores
 * @param lengthPolicy   rows longer than max_position_embeddings: error (default) or truncate
 */
public record ModelOptions(int intraOpThreads, LengthPolicy lengthPolicy) {

    public static ModelOptions defaults() {
        return new ModelOptions(0, LengthPolicy.ERROR);
    }

    public ModelOptions withThreads(int threads) {
        return new ModelOptions(threads, lengthPolicy);
    }

    public ModelOptions withLengthPolicy(LengthPolicy policy) {
        return new ModelOptions(intraOpThreads, policy);
    }
}
