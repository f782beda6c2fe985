package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head self-attention of one layer: q·kᵀ (q pre-scaled by head_dim^-0.5 through its
 * weights), plus the additive causal + padding mask, softmax, ·v, output projection. No fused
 * attention kernel is exposed by DJL, so it is two matmuls and a softmax.
 */
final class Attention {
    private Attention() {
    }

    /**
     * @param h     [B, T, d] layer-normed input of the T new positions
     * @param mask  [B, 1, T, S] additive mask over all S = past + T key positions
     * @param cache keys/values of the past positions, extended here; null for a one-shot forward
     * @return [B, T, d]
     */
    static NDArray forward(NDArray h, LayerWeights w, NDArray mask, KvCache cache, int layer, int heads, Linears lin) {
        long[] s = h.getShape().getShape();
        long b = s[0];
        long t = s[1];
        long d = s[2];
        long hd = d / heads;
        NDArray q = splitHeads(lin.apply(h, w.qWeight(), w.qBias()), b, t, heads, hd);   // [B, H, T, hd]
        NDArray k = splitHeads(lin.apply(h, w.kWeight(), w.kBias()), b, t, heads, hd);
        NDArray v = splitHeads(lin.apply(h, w.vWeight(), w.vBias()), b, t, heads, hd);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);                                      // [B, H, S, hd]
            k = kv[0];
            v = kv[1];
        }
        // k may belong to the cache: close its transposed view here, or it would live as long as the cache.
        NDArray scores;
        try (NDArray kT = k.transpose(0, 1, 3, 2)) {                                        // [B, H, hd, S]
            scores = q.matMul(kT);                                                          // [B, H, T, S]
        }
        scores.addi(mask);
        NDArray probs = scores.softmax(-1);
        NDArray ctx = probs.matMul(v)                                                       // [B, H, T, hd]
                .transpose(0, 2, 1, 3)                                                      // [B, T, H, hd]
                .reshape(b, t, d);
        return lin.apply(ctx, w.outWeight(), w.outBias());
    }

    private static NDArray splitHeads(NDArray x, long b, long t, long heads, long hd) {
        return x.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    }
}
