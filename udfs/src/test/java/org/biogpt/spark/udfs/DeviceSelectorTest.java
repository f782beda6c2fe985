package org.biogpt.spark.udfs;

import java.nio.file.Path;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.device.Placement;
import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLoadException;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.io.TempDir;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.device.DeviceSelector;
import org.biogpt.spark.udfs.device.GpuCheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    private static final Map<String, ResourceInformation> TWO_GPUS =
            Map.of("gpu", new ResourceInformation("gpu", new String[] {"1", "3"}));
    private static final Map<String, ResourceInformation> NONE = Map.of();
    private static final GpuCheck USABLE = address -> null;
    private static final GpuCheck NO_CUDA = address -> "libtorch is a CPU-only build";

    @Test
    void cpuIgnoresAssignedGpus() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.CPU, TWO_GPUS, USABLE));
    }

    @Test
    void gpuTakesTheFirstAddressSparkAssignedToTheTask() {
        assertEquals(Device.gpu("1"), DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, USABLE));
        assertEquals("gpu:1", DeviceSelector.select(DeviceChoice.AUTO, TWO_GPUS, USABLE).toString());
    }

    @Test
    void gpuWithoutAnAssignedGpuFailsNamingTheSparkSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelector.select(DeviceChoice.GPU, NONE, USABLE));
        assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount"), e.getMessage());
        Map<String, ResourceInformation> empty = Map.of("gpu", new ResourceInformation("gpu", new String[0]));
        assertThrows(IllegalStateException.class, () -> DeviceSelector.select(DeviceChoice.GPU, empty, USABLE));
    }

    @Test
    void autoFallsBackToCpuWithoutAGpu() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, NONE, USABLE));
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, null, USABLE));
    }

    @Test
    void unusableGpuMakesAutoUseTheCpuAndGpuFailWithTheReason() {
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, TWO_GPUS, NO_CUDA));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, NO_CUDA));
        assertTrue(e.getMessage().contains("GPU 1"), e.getMessage());
        assertTrue(e.getMessage().contains("CPU-only build"), e.getMessage());
        assertTrue(e.getMessage().contains("device=auto"), e.getMessage());
    }

    @Test
    void theGpuCheckIsAskedAboutTheAssignedAddressOnly() {
        List<String> asked = new ArrayList<>();
        GpuCheck recording = address -> {
            asked.add(address);
            return null;
        };
        DeviceSelector.select(DeviceChoice.CPU, TWO_GPUS, recording);
        DeviceSelector.select(DeviceChoice.AUTO, NONE, recording);
        assertEquals(List.of(), asked);
        DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, recording);
        assertEquals(List.of("1"), asked);
    }

    @Test
    void gpuOnThisCpuOnlyEngineFailsNamingTheCudaLibtorchSetup() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> DeviceSelector.select(DeviceChoice.GPU, TWO_GPUS, DeviceSelector::whyNotOnThisJvm));
        assertTrue(e.getMessage().contains("CPU-only build"), e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu128"), e.getMessage());
        assertEquals(Device.CPU, DeviceSelector.select(DeviceChoice.AUTO, TWO_GPUS, DeviceSelector::whyNotOnThisJvm));
    }

    @Test
    void outsideATaskTheCurrentBuildRunsOnCpu() {
        assertEquals(Device.CPU, DeviceSelector.forCurrentTask(DeviceChoice.AUTO));
    }

    @Test
    void aDeviceMapsToThePlacementItsModelLivesOn() {
        assertEquals(Placement.cpu(), Device.CPU.placement(GpuDtype.F16));
        assertEquals(Placement.gpu(1, GpuDtype.F16), Device.gpu("1").placement(GpuDtype.F16));
        assertEquals(Placement.gpu(2, GpuDtype.F32), Device.gpu(" 2").placement(GpuDtype.F32));
        assertThrows(IllegalArgumentException.class, () -> Device.gpu("GPU-5d0c").placement(GpuDtype.F16));
    }

    @Test
    void aModelForAGpuKeyIsPlacedThereAndFailsClearlyOnThisCpuOnlyEngine(@TempDir Path dir) {
        ModelSpec spec = ModelSpec.cpu(Fixtures.copy("causal-lm", dir.resolve("lm")).toString());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCache.acquire(spec, Device.gpu("0")));
        assertTrue(e.getMessage().contains("cannot place the model on gpu:0 (f16)"), e.getMessage());
        assertTrue(e.getMessage().contains("CPU-only build"), e.getMessage());
        assertEquals(0, ModelCache.loadCount(spec));
    }

    @Test
    void deviceChoiceParsesParamValues() {
        assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" Auto "));
        assertEquals("gpu", DeviceChoice.GPU.paramValue());
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    }
}
