package org.biogpt.spark.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Widening of half-precision storage to float32, done in Java (never as a bf16 NDArray), and the
 * narrowing back (checkpoint writers; the decode kernel's bf16 weights).
 */
public final class Float16 {
    private Float16() {
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** IEEE 754 binary16 to float32, subnormals, infinities and NaN included (Java 17 has no built-in). */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero): mant * 2^-24, exact in float32
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to bfloat16 bits, rounding to nearest even like torch; NaN stays a (quiet) NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** float32 to IEEE binary16 bits, rounding to nearest even; overflow gives infinity, tiny values subnormals or 0. */
    static short floatToF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            int h = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (h & 1) != 0)) {
                h++; // may carry into the smallest normal: still the right encoding
            }
            return (short) (sign | h);
        }
        int h = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++; // may carry into the exponent, up to infinity: still the right encoding
        }
        return (short) (sign | h);
    }

    /** Reads {@code count} little-endian 16-bit values from {@code src} and widens them. */
    static ByteBuffer widen(ByteBuffer src, long count, DType dtype) {
        if (count > Integer.MAX_VALUE / 4) {
            throw new CheckpointException("tensor too large to widen in one buffer: " + count + " values");
        }
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            short s = in.getShort();
            out.putFloat(dtype == DType.BF16 ? bf16ToFloat(s) : f16ToFloat(s));
        }
        out.flip();
        return out;
    }
}
