package org.biogpt.spark.udfs;

import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.device.DeviceSelector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    private static final Map<String, ResourceInformation> TWO_GPUS =
            Map.of("gpu", new ResourceInformation("gpu", new String[] {"1", "3"}));
    private static final Map<String, ResourceInformation> NONE = Map.of();

    @Test
    void cpuIgnoresAssignedGpus() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.CPU, TWO_GPUS, true));
    }

    @Test
    void gpuTakesTheFirstAddressSparkAssignedToTheTask() {
        assertEquals(Device.gpu("1"), DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, true));
        assertEquals("gpu:1", DeviceSelector.select(DeviceChoice.AUTO, TWO_GPUS, true).toString());
    }

    @Test
    void gpuWithoutAnAssignedGpuFailsNamingTheSparkSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelector.select(DeviceChoice.GPU, NONE, true));
        assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount"), e.getMessage());
        Map<String, ResourceInformation> empty = Map.of("gpu", new ResourceInformation("gpu", new String[0]));
        assertThrows(IllegalStateException.class, () -> DeviceSelector.select(DeviceChoice.GPU, empty, true));
    }

    @Test
    void autoFallsBackToCpuWithoutAGpu() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, NONE, true));
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, null, true));
    }

    @Test
    void cpuOnlyCoreMakesAutoUseTheCpuAndGpuFail() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, TWO_GPUS, false));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, false));
        assertTrue(e.getMessage().contains("GPU 1"), e.getMessage());
    }

    @Test
    void outsideATaskTheCurrentBuildRunsOnCpu() {
        assertEquals(Device.CPU, DeviceSelector.forCurrentTask(DeviceChoice.AUTO));
    }

    @Test
    void deviceChoiceParsesParamValues() {
        assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" Auto "));
        assertEquals("gpu", DeviceChoice.GPU.paramValue());
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    }
}
