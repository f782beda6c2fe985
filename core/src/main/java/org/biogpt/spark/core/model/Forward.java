package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The BioGPT forward pass (Hugging Face {@code modeling_biogpt.py}), the one entry every head and
 * every generation step goes through, on DJL NDArrays:
 *
 * <pre>
 * positions = cumsum(mask)·mask − 1 + 2               (padding → row 1 of the table)
 * x = embed_tokens[ids] · sqrt(d) + embed_positions[positions]                      [B, T, d]
 * for each layer:
 *     h = LN(x);  q, k, v = h·Wqᵀ + bq, h·Wkᵀ + bk, h·Wvᵀ + bv     (q pre-scaled by head_dim^-0.5)
 *     k, v = cache ⊕ k, v                                           (when generating)
 *     x += (softmax(q·kᵀ + mask) · v) · Woᵀ + bo                    causal + padding mask
 *     x += fc2(gelu(fc1(LN(x))))
 * h = LN(x)                                                                         [B, T, d]
 * </pre>
 *
 * A prefill-like forward over a padded batch computes its real tokens only: attention per group of
 * rows of similar length, everything else over the tokens end to end ({@link RealTokens}).
 *
 * <p>{@link Backend} decides per call whether the linears run on libtorch or the Vector API kernel,
 * or whether a decode step runs wholly in Java ({@link DecodeStep}, the same arithmetic).
 *
 * <p>Memory: every layer's intermediates are freed when the layer ends. x is moved onto a
 * scratch manager for the layer (an op's result attaches to its first input's manager, so
 * everything derived from x lands there) and goes back to its own manager when the scratch
 * closes; one manager per forward would keep all layers' activations alive.
 */
final class Forward {
    /** The additive mask value of the reference: float32's most negative finite value, not -inf. */
    static final float MASK_MIN = -Float.MAX_VALUE;

    private final BioGptConfig config;
    private final BioGptWeights weights;
    private final Backend backend;

    Forward(BioGptWeights weights, Backend backend) {
        this.config = weights.config();
        this.weights = weights;
        this.backend = backend;
    }

    /**
     * Runs new columns through the model.
     *
     * @param ids      [B][T] the new tokens
     * @param fullMask [B][S] attention mask of past + new columns (S = past + T)
     * @param cache    the past's keys/values, extended here; null for a one-shot forward
     * @param embOut   if not null, receives the input embeddings [B, T, d] in slot 0
     * @return last hidden state [B, T, d] (after the final LayerNorm), on {@code m}
     */
    NDArray forward(NDManager m, long[][] ids, int[][] fullMask, KvCache cache, NDArray[] embOut) {
        int b = ids.length;
        int t = ids[0].length;
        int s = fullMask[0].length;
        int past = s - t;
        Backend.Choice choice = backend.choose(b, t, past, s, embOut != null);
        boolean decodeStep = past > 0;
        backend.configureThreads((long) b * t, decodeStep);

        long[] flatIds = new long[b * t];
        long[] positions = new long[b * t];
        positions(ids, fullMask, flatIds, positions);
        DecodeStep javaStep = choice.kind() == Backend.Kind.JAVA_STEP ? backend.javaStep() : null;
        if (javaStep != null) {
            float[] h = javaStep.run(flatIds, positions, fullMask, cache);                 // [B, d]
            return Ops.filled(m, new Shape(b, 1, config.hiddenSize()), h);
        }
        Linears lin = backend.linears(decodeStep);
        RealTokens real = decodeStep ? null : RealTokens.of(fullMask, config.numHeads());      // null: no padding to skip
        Shape tokens = real == null ? new Shape(b, t) : new Shape(1, real.count());

        NDArray x;                                                                        // [B, T, d] or [1, N, d]
        try (NDArray idArr = m.create(real == null ? flatIds : real.select(flatIds), tokens);
             NDArray posArr = m.create(real == null ? positions : real.select(positions), tokens)) {
            x = Ops.rows(idArr, weights.embedTokens());
            float embedScale = config.embedScale();
            if (embedScale != 1f) {
                x.muli(embedScale);
            }
            try (NDArray pos = Ops.rows(posArr, weights.embedPositions())) {
                x.addi(pos);
            }
        }
        if (embOut != null) {
            embOut[0] = real == null ? x.duplicate() : real.toPaddedWithZeros(x);
        }
        try (NDArray mask = real == null ? m.create(additiveMask(fullMask, t), new Shape(b, 1, t, s)) : null;   // [B, 1, T, S]
             RealTokens.Indices at = real == null ? null : real.indices(m)) {
            for (int l = 0; l < config.numLayers(); l++) {
                layer(x, weights.layers().get(l), mask, cache, l, lin, at);
            }
        }
        NDArray h = Ops.layerNorm(x, weights.finalLnWeight(), weights.finalLnBias());
        x.close();
        if (real == null) {
            return h;
        }
        try (h) {
            return real.toPaddedWithZeros(h);
        }
    }

    /** One pre-LayerNorm block, in place on the residual stream x: [B, T, d], or [1, N, d] with {@code real}. */
    private void layer(NDArray x, LayerWeights w, NDArray mask, KvCache cache, int layer, Linears lin, RealTokens.Indices real) {
        try (NDManager scratch = x.getManager().newSubManager()) {
            x.tempAttach(scratch);
            NDArray h = Ops.layerNorm(x, w.attnLnWeight(), w.attnLnBias());
            x.addi(attention(h, w, mask, cache, layer, lin, real));
            h = Ops.layerNorm(x, w.ffnLnWeight(), w.ffnLnBias());
            h = Ops.activation(config.hiddenAct(), lin.apply(h, w.fc1Weight(), w.fc1Bias()));   // [B, T, f]
            x.addi(lin.apply(h, w.fc2Weight(), w.fc2Bias()));
        }
    }

    /**
     * Multi-head self-attention of one layer. DJL exposes no fused attention kernel, so it is two
     * matmuls and a softmax.
     *
     * @param h     [B, T, d] layer-normed input of the T new positions; [1, N, d] with {@code real}
     * @param mask  [B, 1, T, S] additive mask over all S = past + T key positions; null with {@code real}
     * @param real  where h's tokens sit in the padded layout and the attention groups; null when h is that layout
     * @return the shape of h
     */
    private NDArray attention(NDArray h, LayerWeights w, NDArray mask, KvCache cache, int layer, Linears lin,
                              RealTokens.Indices real) {
        NDArray[] qkv = lin.applyQkv(h, w);
        NDArray ctx = real == null ? attendPadded(qkv, mask, cache, layer) : attendInGroups(qkv, real, cache, layer);
        return lin.apply(ctx, w.outWeight(), w.outBias());
    }

    /** Attention over the batch's own layout: q, k, v [B, T, d] → [B, T, d], the cache extended first. */
    private NDArray attendPadded(NDArray[] qkv, NDArray mask, KvCache cache, int layer) {
        long[] shape = qkv[0].getShape().getShape();
        NDArray q = splitHeads(qkv[0], shape[0], shape[1]);                                 // [B, H, T, hd]
        NDArray k = splitHeads(qkv[1], shape[0], shape[1]);
        NDArray v = splitHeads(qkv[2], shape[0], shape[1]);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);                                      // [B, H, S, hd]
            k = kv[0];
            v = kv[1];
        }
        return attend(q, k, v, mask);
    }

    /**
     * Attention of real tokens, group by group: q, k, v [1, N, d] → [1, N, d]. A prefill's cache
     * gets the keys and values in the batch's layout, where later decode steps read them.
     */
    private NDArray attendInGroups(NDArray[] qkv, RealTokens.Indices real, KvCache cache, int layer) {
        if (cache != null) {
            NDArray k = real.toPadded(qkv[1]);                                             // [B, T, d]
            NDArray v = real.toPadded(qkv[2]);
            long[] bt = k.getShape().getShape();
            cache.append(layer, splitHeads(k, bt[0], bt[1]), splitHeads(v, bt[0], bt[1]));
        }
        List<RealTokens.Group> groups = real.groups();
        List<NDArray> parts = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            RealTokens.Group group = groups.get(g);
            NDArray[] laid = new NDArray[3];                                               // [rows, H, width, hd]
            for (int i = 0; i < 3; i++) {
                laid[i] = splitHeads(real.toGroup(qkv[i], g), group.rows(), group.width());
            }
            parts.add(attend(laid[0], laid[1], laid[2], real.mask(g)));                    // [rows, width, d]
        }
        return real.fromGroups(parts);
    }

    /**
     * softmax(q·kᵀ + mask)·v with the heads merged back.
     *
     * @param q    [b, H, t, hd]
     * @param k    [b, H, s, hd] (and v)
     * @param mask [b, 1, t, s] additive
     * @return [b, t, H·hd]
     */
    private static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask) {
        long[] shape = q.getShape().getShape();
        // k may belong to the cache: close its transposed view here, or it would live as long as the cache.
        NDArray scores;
        try (NDArray kT = k.transpose(0, 1, 3, 2)) {                                        // [b, H, hd, s]
            scores = q.matMul(kT);                                                          // [b, H, t, s]
        }
        NDArray probs;
        if (scores.getDataType() == DataType.FLOAT32) {
            scores.addi(mask);
            probs = scores.softmax(-1);
        } else {
            // Half precision: the mask's most negative float is -inf in f16, and a row with every
            // key masked (a left-padding query) would give NaN probabilities, which then reach real
            // rows as 0·NaN through the values. Mask and softmax in f32, multiply back in f16.
            try (NDArray wide = scores.toType(DataType.FLOAT32, false)) {
                wide.addi(mask);
                try (NDArray p32 = wide.softmax(-1)) {
                    probs = p32.toType(scores.getDataType(), false);
                }
            }
        }
        return probs.matMul(v)                                                              // [b, H, t, hd]
                .transpose(0, 2, 1, 3)                                                      // [b, t, H, hd]
                .reshape(shape[0], shape[2], shape[1] * shape[3]);
    }

    /** [b, t, d] → [b, H, t, hd]. */
    private NDArray splitHeads(NDArray x, long b, long t) {
        long heads = config.numHeads();
        return x.reshape(b, t, heads, x.getShape().tail() / heads).transpose(0, 2, 1, 3);
    }

    /**
     * Token ids and position-table rows of the new columns, flattened [B·T]; checks ids against the
     * vocabulary and each row's real length against max_position_embeddings.
     */
    private void positions(long[][] ids, int[][] fullMask, long[] flatIds, long[] positions) {
        int t = ids[0].length;
        int past = fullMask[0].length - t;
        for (int r = 0; r < ids.length; r++) {
            int real = 0;
            for (int j = 0; j < fullMask[r].length; j++) {
                real += fullMask[r][j];
                if (j >= past) {
                    long id = ids[r][j - past];
                    if (id < 0 || id >= config.vocabSize()) {
                        throw new IllegalArgumentException("token id " + id + " (row " + r + ") is outside the vocabulary of "
                                + config.vocabSize());
                    }
                    flatIds[r * t + j - past] = id;
                    // cumsum(mask)·mask − 1 + offset: first real token → row 2, padding → row 1.
                    positions[r * t + j - past] = fullMask[r][j] == 1 ? real - 1 + BioGptConfig.POSITION_OFFSET
                            : BioGptConfig.POSITION_OFFSET - 1;
                }
            }
            if (real > config.maxPositions()) {
                throw new SequenceTooLongException(r, real, config.maxPositions());
            }
        }
    }

    /** Causal + padding mask of the new columns over all columns, [B·T·S]: 0 where attended, MASK_MIN elsewhere. */
    static float[] additiveMask(int[][] fullMask, int t) {
        int b = fullMask.length;
        int s = fullMask[0].length;
        int past = s - t;
        float[] mask = new float[b * t * s];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                int q = past + i;
                int base = (r * t + i) * s;
                for (int j = 0; j < s; j++) {
                    mask[base + j] = j <= q && fullMask[r][j] == 1 ? 0f : MASK_MIN;
                }
            }
        }
        return mask;
    }
}
