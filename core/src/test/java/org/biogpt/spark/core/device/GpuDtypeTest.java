package org.biogpt.spark.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class GpuDtypeTest {
    @Test
    void halfAndSingleParseInTheUsualSpellings() {
        assertEquals(GpuDtype.F16, GpuDtype.parse(" FP16 "));
        assertEquals(GpuDtype.F16, GpuDtype.parse("float16"));
        assertEquals(GpuDtype.F32, GpuDtype.parse("f32"));
        assertEquals(DataType.FLOAT16, GpuDtype.DEFAULT.djl());
        assertEquals("f16", GpuDtype.F16.paramValue());
    }

    @Test
    void bf16IsRefusedSayingDjlCannotHoldIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuDtype.parse("bf16"));
        assertTrue(e.getMessage().contains("DJL 0.36") && e.getMessage().contains("f16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuDtype.parse("bfloat16"));
    }

    @Test
    void otherValuesNameTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuDtype.parse("int8"));
        assertTrue(e.getMessage().contains("f16 or f32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuDtype.parse(null));
    }
}
