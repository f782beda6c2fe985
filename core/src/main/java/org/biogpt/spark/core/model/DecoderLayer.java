package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One pre-LayerNorm block, applied in place on the residual stream:
 * x += attn(LN(x)); x += fc2(act(fc1(LN(x)))).
 *
 * <p>Every intermediate of the layer is freed when it ends: x is moved onto a scratch manager for
 * the layer (results attach to their first input's manager, so everything derived from x lands
 * there) and goes back to its own manager when the scratch closes. One manager per forward would
 * keep all layers' activations alive (~100 MB per layer at 4×256).
 */
final class DecoderLayer {
    private DecoderLayer() {
    }

    /**
     * @param x    [B, T, d] residual stream, updated in place
     * @param mask [B, 1, T, S] additive attention mask
     * @param lin  the model's linears (DJL/MKL, or the decode kernel for few rows)
     */
    static void forward(NDArray x, LayerWeights w, NDArray mask, KvCache cache, int layer, BioGptConfig config,
                        Linears lin) {
        try (NDManager scratch = x.getManager().newSubManager()) {
            x.tempAttach(scratch);
            NDArray h = Ops.layerNorm(x, w.attnLnWeight(), w.attnLnBias());
            x.addi(Attention.forward(h, w, mask, cache, layer, config.numHeads(), lin));
            h = Ops.layerNorm(x, w.ffnLnWeight(), w.ffnLnBias());
            h = Ops.activation(config.hiddenAct(), lin.apply(h, w.fc1Weight(), w.fc1Bias()));  // [B, T, f]
            x.addi(lin.apply(h, w.fc2Weight(), w.fc2Bias()));
        }
    }
}
