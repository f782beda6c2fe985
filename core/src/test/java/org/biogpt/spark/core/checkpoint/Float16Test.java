package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bit patterns of IEEE binary16 and bfloat16 and the float32 values they denote. */
class Float16Test {

    @ParameterizedTest(name = "f16 {0} = {1}")
    @CsvSource({
            "0x0000, 0.0", "0x8000, -0.0", "0x3c00, 1.0", "0xc000, -2.0", "0x3555, 0.333251953125",
            "0x7bff, 65504.0", "0x0400, 6.103515625E-5", // smallest normal 2^-14
            "0x0001, 5.9604644775390625E-8", // smallest subnormal 2^-24
            "0x03ff, 6.097555160522461E-5", // largest subnormal 1023 * 2^-24
            "0x8001, -5.9604644775390625E-8",
            "0x7c00, Infinity", "0xfc00, -Infinity"})
    void halfBitsWidenToExactFloats(String bits, String expected) {
        assertSameFloat(Float.parseFloat(expected), Float16.f16ToFloat((short) (int) Integer.decode(bits)));
    }

    @ParameterizedTest(name = "bf16 {0} = {1}")
    @CsvSource({
            "0x0000, 0.0", "0x8000, -0.0", "0x3f80, 1.0", "0xc040, -3.0", "0x4049, 3.140625",
            "0x0001, 9.183549615799121E-41", // smallest bf16 subnormal 2^-133
            "0x0080, 1.1754943508222875E-38", // smallest normal 2^-126
            "0x7f7f, 3.3895313892515355E38", // largest finite
            "0x7f80, Infinity", "0xff80, -Infinity"})
    void bfloat16BitsWidenToExactFloats(String bits, String expected) {
        assertSameFloat(Float.parseFloat(expected), Float16.bf16ToFloat((short) (int) Integer.decode(bits)));
    }

    @ParameterizedTest
    @CsvSource({"0x7e00", "0x7c01", "0xfe00"})
    void halfNanStaysNan(String bits) {
        assertTrue(Float.isNaN(Float16.f16ToFloat((short) (int) Integer.decode(bits))));
    }

    @ParameterizedTest
    @CsvSource({"0x7fc0", "0x7f81", "0xffc0"})
    void bfloat16NanStaysNan(String bits) {
        assertTrue(Float.isNaN(Float16.bf16ToFloat((short) (int) Integer.decode(bits))));
    }

    @ParameterizedTest(name = "f16 of {0} = {1}")
    @CsvSource({
            "1.0, 0x3c00", "-2.0, 0xc000", "-0.0, 0x8000", "65504.0, 0x7bff",
            "65520.0, 0x7c00", // halfway past the largest finite rounds to infinity
            "1.00048828125, 0x3c00", // 1 + 2^-11: a tie, rounds to even (down)
            "1.00146484375, 0x3c02", // 1 + 3*2^-11: a tie, rounds to even (up)
            "5.9604644775390625E-8, 0x0001", "2.9802322387695312E-8, 0x0000", // 2^-25: tie to even 0
            "4.470348358154297E-8, 0x0001", // 1.5 * 2^-25 rounds up to the smallest subnormal
            "6.1E-5, 0x03ff", "1.0E-10, 0x0000", "1.0E10, 0x7c00", "Infinity, 0x7c00", "-Infinity, 0xfc00"})
    void floatNarrowsToHalfRoundingToNearestEven(String value, String bits) {
        assertEquals(Integer.decode(bits).intValue(), Float16.floatToF16(Float.parseFloat(value)) & 0xffff);
    }

    @ParameterizedTest(name = "bf16 of {0} = {1}")
    @CsvSource({
            "1.0, 0x3f80", "-0.0, 0x8000", "3.14159265, 0x4049",
            "1.00390625, 0x3f80", // 1 + 2^-8: a tie, rounds to even (down)
            "1.01171875, 0x3f82", // 1 + 3*2^-8: a tie, rounds to even (up)
            "3.4028235E38, 0x7f80", "Infinity, 0x7f80"})
    void floatNarrowsToBfloat16RoundingToNearestEven(String value, String bits) {
        assertEquals(Integer.decode(bits).intValue(), Float16.floatToBf16(Float.parseFloat(value)) & 0xffff);
    }

    @ParameterizedTest
    @CsvSource({"NaN"})
    void nanNarrowsToNan(String value) {
        assertTrue(Float.isNaN(Float16.f16ToFloat(Float16.floatToF16(Float.parseFloat(value)))));
        assertTrue(Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(Float.parseFloat(value)))));
    }

    private static void assertSameFloat(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                "expected " + expected + " got " + actual);
    }
}
