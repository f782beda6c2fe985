package org.biogpt.spark.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Widening of half-precision storage to float32, done in Java (never as a bf16 NDArray). */
final class Float16 {
    private Float16() {
    }

    static float bf16ToFloat(short bits) {
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
