package org.biogpt.spark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of one new position per row over a key/value cache, for decode steps, on the JDK
 * Vector API: per row r and head h,
 * <pre>
 *   p_s        = softmax_s(q[r, h] · k[r, h, s])      over the cached positions s the row attends to
 *   ctx[r, h]  = Σ_s p_s · v[r, h, s]
 * </pre>
 * Masked positions (padding) get weight exactly 0, as in the reference, which adds float32's
 * most negative value to their scores. A few hundred thousand FMAs per layer, done
 * here in place of seven libtorch calls (each ~15–20 µs of JNI and dispatch at this size).
 *
 * <p>Only touched when {@link SmallMatmul#available()}.
 */
public final class DecodeAttention {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private DecodeAttention() {
    }

    /**
     * @param q      [B, H·hd] queries (already scaled by hd^-0.5)
     * @param keys   [B, H, capacity, hd] native-order floats; positions 0 .. len−1 are valid
     * @param values same layout as keys
     * @param mask   [B][len], 1 where the row attends
     * @param ctx    out: [B, H·hd]
     */
    public static void attend(float[] q, ByteBuffer keys, ByteBuffer values, int rows, int heads, int hd,
                              int capacity, int len, int[][] mask, float[] ctx) {
        float[] scores = new float[len];
        int vec = hd - hd % LANES;
        for (int r = 0; r < rows; r++) {
            int[] m = mask[r];
            for (int h = 0; h < heads; h++) {
                int qo = (r * heads + h) * hd;                     // q[r, h·hd]
                int head = (r * heads + h) * capacity * hd;            // float offset of [r, h, 0, 0]; fits an int (DecodeStep.fits)
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < len; s++) {
                    int ko = 4 * (head + s * hd);
                    float dot = 0f;
                    if (vec > 0) {
                        FloatVector acc = FloatVector.zero(SPECIES);
                        for (int j = 0; j < vec; j += LANES) {
                            acc = FloatVector.fromArray(SPECIES, q, qo + j)
                                    .fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 4 * j, NATIVE), acc);
                        }
                        dot = acc.reduceLanes(VectorOperators.ADD);
                    }
                    for (int j = vec; j < hd; j++) {
                        dot += q[qo + j] * keys.getFloat(ko + 4 * j);
                    }
                    scores[s] = dot;
                    if (m[s] == 1) {
                        max = Math.max(max, dot);
                    }
                }
                float sum = 0f;
                for (int s = 0; s < len; s++) {
                    float e = m[s] == 1 ? (float) Math.exp(scores[s] - max) : 0f;
                    scores[s] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int s = 0; s < len; s++) {
                    scores[s] *= inv;                                  // p_s; 0 where masked
                }
                // Position by position, ctx[r, h] += p_s · v[r, h, s] (ctx stays in L1). No branch
                // on the mask inside vector loops: a conditionally updated vector makes C2 box it
                // and fall back to the allocating Java FMA.
                java.util.Arrays.fill(ctx, qo, qo + hd, 0f);
                int vh = 4 * head;                                     // byte offset of [r, h, 0, 0]
                for (int s = 0; s < len; s++) {
                    FloatVector p = FloatVector.broadcast(SPECIES, scores[s]);
                    int vo = vh + 4 * s * hd;
                    for (int j = 0; j < vec; j += LANES) {
                        FloatVector.fromByteBuffer(SPECIES, values, vo + 4 * j, NATIVE)
                                .fma(p, FloatVector.fromArray(SPECIES, ctx, qo + j))
                                .intoArray(ctx, qo + j);
                    }
                }
                for (int j = vec; j < hd; j++) {
                    float acc = 0f;
                    for (int s = 0; s < len; s++) {
                        acc += scores[s] * values.getFloat(4 * (head + s * hd + j));
                    }
                    ctx[qo + j] = acc;
                }
            }
        }
    }
}
