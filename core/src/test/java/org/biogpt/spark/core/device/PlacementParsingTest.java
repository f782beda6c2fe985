package org.biogpt.spark.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class PlacementParsingTest {
    @Test
    void commandLineDevicesNameTheCpuOrACudaOrdinal() {
        assertEquals(Placement.cpu(), Placement.parse(" CPU ", GpuDtype.F16));
        assertEquals(new Placement(Device.gpu(0), DataType.FLOAT16), Placement.parse("gpu", GpuDtype.F16));
        assertEquals(new Placement(Device.gpu(3), DataType.FLOAT32), Placement.parse("gpu:3", GpuDtype.F32));
        assertEquals("gpu:3 (f32)", Placement.parse("gpu:3", GpuDtype.F32).toString());
        for (String bad : new String[] {"gpu:", "gpu:x", "gpu:-1", "cuda", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Placement.parse(bad, GpuDtype.F16), bad);
        }
    }

    @Test
    void onlyTheCpuInFloat32IsTheJavaKernelsHost() {
        assertTrue(Placement.cpu().isHostF32());
        assertFalse(new Placement(Device.cpu(), DataType.FLOAT16).isHostF32());
        assertFalse(Placement.gpu(0, GpuDtype.F32).isHostF32());
        assertTrue(Placement.gpu(0, GpuDtype.F16).halfPrecision());
    }
}
