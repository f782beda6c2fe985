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
 * here in place of seven libtorch calls, each costing more in JNI and dispatch than its arithmetic.
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
     * Rows × heads pairs [from, to) (pair = r·H + h) of the attention, so that a pool can split them.
     *
     * @param q      [B, H·hd] queries (already scaled by hd^-0.5)
     * @param keys   [B, H, capacity, hd] native-order floats; positions 0 .. len−1 are valid
     * @param values same layout as keys
     * @param mask   [B][len], 1 where the row attends
     * @param ctx    out: [B, H·hd]
     */
    public static void attend(float[] q, ByteBuffer keys, ByteBuffer values, int heads, int hd,
                              int capacity, int len, int[][] mask, float[] ctx, int from, int to) {
        float[] p = new float[len];
        for (int pair = from; pair < to; pair++) {
            int[] m = mask[pair / heads];
            int qo = pair * hd;                                    // q[r, h·hd]
            int head = pair * capacity * hd;                       // float offset of [r, h, 0, 0]; an int (DecodeStep.fits)
            if (hd == 4 * LANES) {
                scores4(q, qo, keys, head, hd, len, p);
            } else if (hd == 8 * LANES) {
                scores8(q, qo, keys, head, hd, len, p);
            } else {
                scores(q, qo, keys, head, hd, len, p);
            }
            softmax(p, m, len);
            if (hd == 4 * LANES) {
                weighted4(p, values, head, hd, len, ctx, qo);
            } else if (hd == 8 * LANES) {
                weighted8(p, values, head, hd, len, ctx, qo);
            } else {
                weighted(p, values, head, hd, len, ctx, qo);
            }
        }
    }

    /** p[s] = q · k[s] for hd = 4 vectors (BioGPT's 64 on AVX-512): q and the sums stay in registers. */
    private static void scores4(float[] q, int qo, ByteBuffer keys, int head, int hd, int len, float[] p) {
        FloatVector q0 = FloatVector.fromArray(SPECIES, q, qo);
        FloatVector q1 = FloatVector.fromArray(SPECIES, q, qo + LANES);
        FloatVector q2 = FloatVector.fromArray(SPECIES, q, qo + 2 * LANES);
        FloatVector q3 = FloatVector.fromArray(SPECIES, q, qo + 3 * LANES);
        for (int s = 0; s < len; s++) {
            int ko = 4 * (head + s * hd);
            FloatVector acc = FloatVector.fromByteBuffer(SPECIES, keys, ko, NATIVE).mul(q0);
            acc = FloatVector.fromByteBuffer(SPECIES, keys, ko + 4 * LANES, NATIVE).fma(q1, acc);
            acc = FloatVector.fromByteBuffer(SPECIES, keys, ko + 8 * LANES, NATIVE).fma(q2, acc);
            acc = FloatVector.fromByteBuffer(SPECIES, keys, ko + 12 * LANES, NATIVE).fma(q3, acc);
            p[s] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * p[s] = q · k[s] for hd = 8 vectors (BioGPT's 64 on AVX2): q stays in registers, summed in
     * the order of {@link #scores} (so the same floats), which reloads q for every position.
     */
    private static void scores8(float[] q, int qo, ByteBuffer keys, int head, int hd, int len, float[] p) {
        FloatVector q0 = FloatVector.fromArray(SPECIES, q, qo);
        FloatVector q1 = FloatVector.fromArray(SPECIES, q, qo + LANES);
        FloatVector q2 = FloatVector.fromArray(SPECIES, q, qo + 2 * LANES);
        FloatVector q3 = FloatVector.fromArray(SPECIES, q, qo + 3 * LANES);
        FloatVector q4 = FloatVector.fromArray(SPECIES, q, qo + 4 * LANES);
        FloatVector q5 = FloatVector.fromArray(SPECIES, q, qo + 5 * LANES);
        FloatVector q6 = FloatVector.fromArray(SPECIES, q, qo + 6 * LANES);
        FloatVector q7 = FloatVector.fromArray(SPECIES, q, qo + 7 * LANES);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int s = 0; s < len; s++) {
            int ko = 4 * (head + s * hd);
            FloatVector acc = q0.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko, NATIVE), zero);
            acc = q1.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 4 * LANES, NATIVE), acc);
            acc = q2.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 8 * LANES, NATIVE), acc);
            acc = q3.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 12 * LANES, NATIVE), acc);
            acc = q4.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 16 * LANES, NATIVE), acc);
            acc = q5.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 20 * LANES, NATIVE), acc);
            acc = q6.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 24 * LANES, NATIVE), acc);
            acc = q7.fma(FloatVector.fromByteBuffer(SPECIES, keys, ko + 28 * LANES, NATIVE), acc);
            p[s] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    /** p[s] = q · k[s] for any hd: whole vectors, then a scalar tail. */
    private static void scores(float[] q, int qo, ByteBuffer keys, int head, int hd, int len, float[] p) {
        int vec = hd - hd % LANES;
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
            p[s] = dot;
        }
    }

    /**
     * Scores → probabilities over the attended positions; 0 where masked. Masked scores become
     * −∞ first, so the vector exp gives them exactly 0 with no mask in the vector loop. The exp
     * is the JDK's vector exp (SVML on x86): scalar, one Math.exp per position was a visible
     * share of a batch-32 step.
     */
    private static void softmax(float[] p, int[] m, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < len; s++) {
            p[s] = m[s] == 1 ? p[s] : Float.NEGATIVE_INFINITY;
            max = Math.max(max, p[s]);
        }
        int vec = len - len % LANES;
        FloatVector sums = FloatVector.zero(SPECIES);
        for (int s = 0; s < vec; s += LANES) {
            FloatVector e = FloatVector.fromArray(SPECIES, p, s).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(p, s);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (int s = vec; s < len; s++) {
            p[s] = (float) Math.exp(p[s] - max);
            sum += p[s];
        }
        float inv = 1f / sum;
        for (int s = 0; s < len; s++) {
            p[s] *= inv;
        }
    }

    /**
     * ctx[r, h] = Σ_s p[s] · v[s] for hd = 4 vectors, in registers. Masked positions have p = 0:
     * no branch on the mask inside vector loops, since a conditionally updated vector makes C2
     * box it and fall back to the allocating Java FMA.
     */
    private static void weighted4(float[] p, ByteBuffer values, int head, int hd, int len, float[] ctx, int qo) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int s = 0; s < len; s++) {
            FloatVector ps = FloatVector.broadcast(SPECIES, p[s]);
            int vo = 4 * (head + s * hd);
            c0 = FloatVector.fromByteBuffer(SPECIES, values, vo, NATIVE).fma(ps, c0);
            c1 = FloatVector.fromByteBuffer(SPECIES, values, vo + 4 * LANES, NATIVE).fma(ps, c1);
            c2 = FloatVector.fromByteBuffer(SPECIES, values, vo + 8 * LANES, NATIVE).fma(ps, c2);
            c3 = FloatVector.fromByteBuffer(SPECIES, values, vo + 12 * LANES, NATIVE).fma(ps, c3);
        }
        c0.intoArray(ctx, qo);
        c1.intoArray(ctx, qo + LANES);
        c2.intoArray(ctx, qo + 2 * LANES);
        c3.intoArray(ctx, qo + 3 * LANES);
    }

    /**
     * ctx[r, h] = Σ_s p[s] · v[s] for hd = 8 vectors (BioGPT's 64 on AVX2): the sums stay in
     * registers instead of going through ctx at every position as in {@link #weighted}, in the
     * same order (so the same floats).
     */
    private static void weighted8(float[] p, ByteBuffer values, int head, int hd, int len, float[] ctx, int qo) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int s = 0; s < len; s++) {
            FloatVector ps = FloatVector.broadcast(SPECIES, p[s]);
            int vo = 4 * (head + s * hd);
            c0 = FloatVector.fromByteBuffer(SPECIES, values, vo, NATIVE).fma(ps, c0);
            c1 = FloatVector.fromByteBuffer(SPECIES, values, vo + 4 * LANES, NATIVE).fma(ps, c1);
            c2 = FloatVector.fromByteBuffer(SPECIES, values, vo + 8 * LANES, NATIVE).fma(ps, c2);
            c3 = FloatVector.fromByteBuffer(SPECIES, values, vo + 12 * LANES, NATIVE).fma(ps, c3);
            c4 = FloatVector.fromByteBuffer(SPECIES, values, vo + 16 * LANES, NATIVE).fma(ps, c4);
            c5 = FloatVector.fromByteBuffer(SPECIES, values, vo + 20 * LANES, NATIVE).fma(ps, c5);
            c6 = FloatVector.fromByteBuffer(SPECIES, values, vo + 24 * LANES, NATIVE).fma(ps, c6);
            c7 = FloatVector.fromByteBuffer(SPECIES, values, vo + 28 * LANES, NATIVE).fma(ps, c7);
        }
        c0.intoArray(ctx, qo);
        c1.intoArray(ctx, qo + LANES);
        c2.intoArray(ctx, qo + 2 * LANES);
        c3.intoArray(ctx, qo + 3 * LANES);
        c4.intoArray(ctx, qo + 4 * LANES);
        c5.intoArray(ctx, qo + 5 * LANES);
        c6.intoArray(ctx, qo + 6 * LANES);
        c7.intoArray(ctx, qo + 7 * LANES);
    }

    /** ctx[r, h] = Σ_s p[s] · v[s] for any hd: position by position into ctx (in L1), then a scalar tail. */
    private static void weighted(float[] p, ByteBuffer values, int head, int hd, int len, float[] ctx, int qo) {
        int vec = hd - hd % LANES;
        java.util.Arrays.fill(ctx, qo, qo + hd, 0f);
        for (int s = 0; s < len; s++) {
            FloatVector ps = FloatVector.broadcast(SPECIES, p[s]);
            int vo = 4 * (head + s * hd);
            for (int j = 0; j < vec; j += LANES) {
                FloatVector.fromByteBuffer(SPECIES, values, vo + 4 * j, NATIVE)
                        .fma(ps, FloatVector.fromArray(SPECIES, ctx, qo + j))
                        .intoArray(ctx, qo + j);
            }
            for (int j = vec; j < hd; j++) {
                ctx[qo + j] += p[s] * values.getFloat(vo + 4 * j);
            }
        }
    }
}
