package org.biogpt.spark.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Epilogue#gelu} over an array on the Vector API: the same formula (Numerical Recipes'
 * erfc, in double precision, one exp), one float vector at a time widened to two double vectors.
 * Scalar, the exact GELU was a visible share of a batch-8 decode step
 * (B × 4096 values × 24 layers); here the exp is the JDK's vector exp (SVML on x86).
 *
 * <p>Only the kernel's float species is used: a second float shape (e.g. 256-bit floats to widen
 * into one 512-bit double vector) was measured to make C2 compile {@link VectorKernel}'s tile
 * with boxed vectors (many times slower, gigabytes of garbage per second), as the shared vector methods' type
 * profiles then see two shapes. Only touched when {@link SmallMatmul#available()}.
 */
final class VectorGelu {
    private static final VectorSpecies<Float> FLOATS = VectorKernel.SPECIES;
    private static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, FLOATS.vectorShape());
    private static final int HALF = DOUBLES.length();                  // floats per double vector
    /** Lanes [HALF, 2·HALF) of a float vector: where the second half lands. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(FLOATS, ((1L << FLOATS.length()) - 1) & ~((1L << HALF) - 1));
    private static final double INV_SQRT2 = 0.7071067811865476;

    private VectorGelu() {
    }

    /** y[i] = gelu(y[i]) for i in [from, to). */
    static void apply(float[] y, int from, int to) {
        int lanes = FLOATS.length();
        int i = from;
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        for (; i + lanes <= to; i += lanes) {
            FloatVector xf = FloatVector.fromArray(FLOATS, y, i);
            // Both halves written out: a helper taking vectors would box them if C2 left it out.
            DoubleVector x = (DoubleVector) xf.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector z = x.mul(-INV_SQRT2);
            DoubleVector a = z.abs();
            DoubleVector t = one.div(a.mul(0.5).add(1.0));
            DoubleVector poly = t.mul(0.17087277).add(-0.82215223).mul(t).add(1.48851587).mul(t).add(-1.13520398).mul(t).add(0.27886807)
                    .mul(t).add(-0.18628806).mul(t).add(0.09678418).mul(t).add(0.37409196).mul(t).add(1.00002368);           // Horner, innermost first
            DoubleVector r = t.mul(a.neg().mul(a).sub(1.26551223).add(t.mul(poly)).lanewise(VectorOperators.EXP));
            FloatVector lo = (FloatVector) x.mul(0.5).mul(r.blend(r.neg().add(2.0), z.lt(0.0)))   // erfc(z) = z ≥ 0 ? r : 2 − r
                    .convertShape(VectorOperators.D2F, FLOATS, 0);
            x = (DoubleVector) xf.convertShape(VectorOperators.F2D, DOUBLES, 1);
            z = x.mul(-INV_SQRT2);
            a = z.abs();
            t = one.div(a.mul(0.5).add(1.0));
            poly = t.mul(0.17087277).add(-0.82215223).mul(t).add(1.48851587).mul(t).add(-1.13520398).mul(t).add(0.27886807)
                    .mul(t).add(-0.18628806).mul(t).add(0.09678418).mul(t).add(0.37409196).mul(t).add(1.00002368);
            r = t.mul(a.neg().mul(a).sub(1.26551223).add(t.mul(poly)).lanewise(VectorOperators.EXP));
            FloatVector hi = (FloatVector) x.mul(0.5).mul(r.blend(r.neg().add(2.0), z.lt(0.0)))
                    .convertShape(VectorOperators.D2F, FLOATS, -1);
            lo.blend(hi, UPPER).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Epilogue.gelu(y[i]);
        }
    }
}
