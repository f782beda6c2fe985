package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;

/**
 * One pre-LayerNorm decoder layer's parameters, as stored ([out, in] for linears, which is the
 * layout {@code Linear.linear} takes without a transpose copy). d = hidden size, f = FFN size.
 * The query projection already carries the attention scale head_dim^-0.5 (folded in at load).
 *
 * <p>Once the decode kernel has packed a model's linears, the six projection weights' libtorch
 * arrays are released (closed; shape and type stay readable) and their values live only in the
 * packed copy: multiply by them through {@code Linears}, which re-lays them for libtorch
 * ({@code PackedLinears}). The biases and LayerNorm parameters stay in libtorch.
 */
public record LayerWeights(
        NDArray attnLnWeight, NDArray attnLnBias,   // [d]
        NDArray qWeight, NDArray qBias,             // [d, d], [d]  (× head_dim^-0.5)
        NDArray kWeight, NDArray kBias,             // [d, d], [d]
        NDArray vWeight, NDArray vBias,             // [d, d], [d]
        NDArray outWeight, NDArray outBias,         // [d, d], [d]
        NDArray ffnLnWeight, NDArray ffnLnBias,     // [d]
        NDArray fc1Weight, NDArray fc1Bias,         // [f, d], [f]
        NDArray fc2Weight, NDArray fc2Bias) {       // [d, f], [d]
}
