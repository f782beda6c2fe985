package org.biogpt.spark.core.model;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.biogpt.spark.core.kernel.DecodeAttention;
import org.biogpt.spark.core.kernel.Epilogue;
import org.biogpt.spark.core.kernel.VectorLayerNorm;

/**
 * One decode step (one new token per row over a KV cache) computed in Java: the linears (with
 * the FFN's activation) on the Vector API kernel, attention on {@link DecodeAttention}, LayerNorm
 * on {@link VectorLayerNorm}, each split over the kernel's threads; embeddings and residuals in
 * plain loops. The same arithmetic as {@link Forward} on libtorch, for B ≤ 64 rows
 * (Linears.MAX_KERNEL_ROWS).
 *
 * <p>Why: at this size a step through libtorch is hundreds of eager calls, each costing more in
 * JNI and dispatch than its arithmetic, plus fresh allocations, with libtorch on one thread
 * because the kernel's threads hold the cores; that was over half of a batch-8 step
 * ({@code docs/PERFORMANCE.md}). Here each layer is a few loops over [B, d] arrays.
 *
 * <pre>
 *   x = tok[id]·scale + pos[p]                                  [B, d]
 *   per layer:  x += out(attend(q(LN(x)), cache ⊕ k, v))        attention over past + 1 positions
 *               x += fc2(act(fc1(LN(x))))
 *   h = LN_final(x)
 * </pre>
 */
final class DecodeStep {
    private final BioGptConfig config;
    private final BioGptWeights weights;
    private final Linears lin;
    private final Epilogue act;
    private final float scale;
    private final ByteBuffer tokens;      // [V, d] floats
    private final ByteBuffer positions;   // [maxPositions + offset, d]
    private final float[][] norms;        // per layer: attn w, attn b, ffn w, ffn b; then final w, b
    private final ThreadLocal<Buffers> buffers = new ThreadLocal<>();

    private DecodeStep(BioGptConfig config, BioGptWeights weights, Linears lin, Epilogue act, float scale) {
        this.config = config;
        this.weights = weights;
        this.lin = lin;
        this.act = act;
        this.scale = scale;
        this.tokens = Ops.memory(weights.embedTokens());
        this.positions = Ops.memory(weights.embedPositions());
        int layers = weights.layers().size();
        norms = new float[4 * layers + 2][];
        for (int l = 0; l < layers; l++) {
            LayerWeights w = weights.layers().get(l);
            norms[4 * l] = w.attnLnWeight().toFloatArray();
            norms[4 * l + 1] = w.attnLnBias().toFloatArray();
            norms[4 * l + 2] = w.ffnLnWeight().toFloatArray();
            norms[4 * l + 3] = w.ffnLnBias().toFloatArray();
        }
        norms[4 * layers] = weights.finalLnWeight().toFloatArray();
        norms[4 * layers + 1] = weights.finalLnBias().toFloatArray();
    }

    /** A Java decode step for the model, or null where the kernel has no packed copy of every linear. */
    static DecodeStep create(BioGptConfig config, BioGptWeights weights, Linears decodeLinears, Epilogue act, float embedScale) {
        return decodeLinears.allPacked() ? new DecodeStep(config, weights, decodeLinears, act, embedScale) : null;
    }

    /** Whether the cache's buffers for {@code rows} rows can be addressed with int offsets. */
    static boolean fits(int rows, BioGptConfig config, long positionsNeeded) {
        long floats = (long) rows * config.hiddenSize() * (positionsNeeded + KvCache.HEADROOM) * 3 / 2;
        return 4 * floats < Integer.MAX_VALUE;
    }

    /**
     * @param ids      [B] the new token of each row
     * @param pos      [B] its position-embedding row
     * @param fullMask [B][S] attention mask of past + this column
     * @return the final hidden state, [B, d]
     */
    float[] run(long[] ids, long[] pos, int[][] fullMask, KvCache cache) {
        int b = ids.length;
        int d = config.hiddenSize();
        int heads = config.numHeads();
        int hd = d / heads;
        int len = fullMask[0].length;
        Buffers buf = buffers(b);
        float[] x = buf.x;
        for (int r = 0; r < b; r++) {
            int t = (int) (4 * ids[r] * d);
            int p = (int) (4 * pos[r] * d);
            for (int j = 0; j < d; j++) {
                x[r * d + j] = tokens.getFloat(t + 4 * j) * scale + positions.getFloat(p + 4 * j);
            }
        }
        float[] ctx = buf.ctx;
        float[] h = buf.h;
        float[][] qkv = buf.qkv;
        for (int l = 0; l < weights.layers().size(); l++) {
            LayerWeights w = weights.layers().get(l);
            layerNorm(x, h, b, d, norms[4 * l], norms[4 * l + 1]);
            lin.multiplyQkv(h, b, w, buf.fused, qkv);                        // [B, d] each
            float[] q = qkv[0];
            float[] k = qkv[1];
            float[] v = qkv[2];
            ByteBuffer[] kv = cache.extendInPlace(l, len);             // [B, H, capacity, hd] each
            int capacity = (int) cache.capacity(l);
            lin.parallel(b * heads, 4, (from, to) -> {
                // Each (row, head) pair appends its own key and value, then attends over them.
                FloatBuffer keys = kv[0].asFloatBuffer();
                FloatBuffer values = kv[1].asFloatBuffer();
                for (int pair = from; pair < to; pair++) {
                    int at = (pair * capacity + len - 1) * hd;               // [r, h, len − 1, 0]
                    keys.put(at, k, pair * hd, hd);
                    values.put(at, v, pair * hd, hd);
                }
                DecodeAttention.attend(q, kv[0], kv[1], heads, hd, capacity, len, fullMask, ctx, from, to);
            });
            lin.multiplyInto(ctx, b, w.outWeight(), Epilogue.NONE, buf.out);
            addInto(x, buf.out);
            layerNorm(x, h, b, d, norms[4 * l + 2], norms[4 * l + 3]);
            lin.multiplyInto(h, b, w.fc1Weight(), act, buf.ffn);
            lin.multiplyInto(buf.ffn, b, w.fc2Weight(), Epilogue.NONE, buf.out);
            addInto(x, buf.out);
        }
        int last = 4 * weights.layers().size();
        float[] out = new float[b * d];
        layerNorm(x, out, b, d, norms[last], norms[last + 1]);
        return out;
    }

    /** This thread's step arrays for b rows, kept while the batch keeps its size. */
    private Buffers buffers(int b) {
        Buffers buf = buffers.get();
        if (buf == null || buf.rows != b) {
            buf = new Buffers(b, config.hiddenSize(), config.intermediateSize());
            buffers.set(buf);
        }
        return buf;
    }

    /**
     * The arrays one step works in: a step reuses them rather than allocating ~a dozen [B, d] and
     * [B, f] arrays per layer, garbage that at large batches grew the heap (docs/PERFORMANCE.md).
     */
    private static final class Buffers {
        final int rows;
        final float[] x;       // residual stream [B, d]
        final float[] h;       // LayerNorm output [B, d]
        final float[] ctx;     // attention output [B, d]
        final float[] out;     // out / fc2 projection [B, d]
        final float[] ffn;     // fc1 + activation [B, f]
        final float[] fused;   // [q k v] [B, 3d]
        final float[][] qkv;   // q, k, v [B, d] each

        Buffers(int rows, int d, int f) {
            this.rows = rows;
            x = new float[rows * d];
            h = new float[rows * d];
            ctx = new float[rows * d];
            out = new float[rows * d];
            ffn = new float[rows * f];
            fused = new float[rows * 3 * d];
            qkv = new float[][] {new float[rows * d], new float[rows * d], new float[rows * d]};
        }
    }

    /** y = LayerNorm of each row of x [rows, d], rows split over the kernel's threads. */
    private void layerNorm(float[] x, float[] y, int rows, int d, float[] gamma, float[] beta) {
        lin.parallel(rows, 2, (from, to) ->
                VectorLayerNorm.apply(x, y, d, gamma, beta, BioGptConfig.LAYER_NORM_EPS, from, to));
    }

    private static void addInto(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

}
