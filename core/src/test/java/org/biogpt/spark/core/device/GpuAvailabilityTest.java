package org.biogpt.spark.core.device;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GpuAvailabilityTest {
    private static final Path CPU_DIR = Path.of("/cache/pytorch/2.7.1-cpu-linux-x86_64");
    private static final Path CUDA_DIR = Path.of("/opt/libtorch/lib");

    private static TorchEngineInfo engine(String flavor, Path dir, boolean cudaBuild, Set<String> caps, int devices) {
        return new TorchEngineInfo("0.36.0", null, "2.7.1", flavor, dir, dir == CUDA_DIR, cudaBuild, null, caps, devices);
    }

    private static void assertMentions(String reason, String... words) {
        assertTrue(reason != null, "expected a reason");
        for (String w : words) {
            assertTrue(reason.contains(w), "'" + w + "' missing from: " + reason);
        }
    }

    @Test
    void cudaLibtorchSeeingTheDeviceIsUsable() {
        TorchEngineInfo two = engine("cu128", CUDA_DIR, true, Set.of("CUDA", "CUDNN"), 2);
        assertNull(GpuAvailability.whyNot(two, "0"));
        assertNull(GpuAvailability.whyNot(two, " 1 "));
    }

    @Test
    void bundledCpuLibtorchNamesTheCu128SwitchAndWhereItLoadedFrom() {
        String why = GpuAvailability.whyNot(engine("cpu", CPU_DIR, false, Set.of("MKL", "OPENMP"), 0), "0");
        assertMentions(why, "CPU-only build", CPU_DIR.toString(), "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR=cu128",
                "PYTORCH_VERSION=2.7.1", "doctor");
    }

    @Test
    void cudaLibtorchPairedWithTheCpuJniAsksForTheFlavor() {
        String why = GpuAvailability.whyNot(engine("cpu", CUDA_DIR, true, Set.of("MKL"), 0), "0");
        assertMentions(why, "CUDA build", "cpu JNI", "PYTORCH_FLAVOR=cu128");
    }

    @Test
    void cudaLibtorchWithoutDriverOrDeviceSaysSo() {
        String why = GpuAvailability.whyNot(engine("cu128", CUDA_DIR, true, Set.of("MKL"), 0), "0");
        assertMentions(why, "no NVIDIA driver", "CUDA_VISIBLE_DEVICES");
    }

    @Test
    void addressOutsideTheVisibleDevicesOrNotAnOrdinalIsRefused() {
        TorchEngineInfo two = engine("cu128", CUDA_DIR, true, Set.of("CUDA"), 2);
        assertMentions(GpuAvailability.whyNot(two, "2"), "GPU address 2", "2 CUDA devices");
        assertMentions(GpuAvailability.whyNot(two, "-1"), "GPU address -1");
        assertMentions(GpuAvailability.whyNot(two, "GPU-5d0c"), "not a CUDA device ordinal");
    }

    @Test
    void engineThatDidNotStartIsReportedWithItsError() {
        TorchEngineInfo failed = new TorchEngineInfo("0.36.0", "libc10_cuda.so: cannot open shared object file",
                null, null, null, false, false, null, Set.of(), 0);
        assertMentions(GpuAvailability.whyNot(failed, "0"), "did not start", "libc10_cuda.so");
    }
}
