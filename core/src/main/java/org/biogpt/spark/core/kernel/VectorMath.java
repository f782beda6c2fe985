package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Σ exp over a vocabulary-sized row on the Vector API, for log-softmax at every generation step:
 * one scalar Math.exp per vocabulary entry was a visible share of a batch-32 step.
 *
 * <p>Only touched when {@link SmallMatmul#available()}.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> SPECIES = VectorKernel.SPECIES;
    private static final int LANES = SPECIES.length();
    /** Values summed in float lanes before the partial sum moves to double: keeps the float error at ~BLOCK/LANES ulps. */
    private static final int BLOCK = 16 * LANES;

    private VectorMath() {
    }

    /** Σ_i exp(x[i] − shift), exp in float (the JDK's vector exp: SVML on x86), sums carried in double. */
    public static double sumExp(float[] x, float shift) {
        int vec = x.length - x.length % LANES;
        double total = 0;
        for (int start = 0; start < vec; start += BLOCK) {
            int end = Math.min(vec, start + BLOCK);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int i = start; i < end; i += LANES) {
                acc = acc.add(FloatVector.fromArray(SPECIES, x, i).sub(shift).lanewise(VectorOperators.EXP));
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (int i = vec; i < x.length; i++) {
            total += Math.exp(x[i] - shift);
        }
        return total;
    }
}
