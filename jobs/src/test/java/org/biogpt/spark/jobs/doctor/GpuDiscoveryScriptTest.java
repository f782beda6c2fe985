package org.biogpt.spark.jobs.doctor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.biogpt.spark.jobs.doctor.FakeNvidiaSmi.Gpu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/gpu-discovery.sh, run by bash against a fake nvidia-smi first on PATH; its output read by Spark's own parser. */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT = FakeNvidiaSmi.DISCOVERY_SCRIPT;

    @TempDir
    Path dir;
    private Path bin;

    @BeforeEach
    void node() throws IOException {
        bin = dir.resolve("bin");
        FakeNvidiaSmi.install(bin, List.of(new Gpu(0, "GPU-aaaa1111-0000"), new Gpu(1, "GPU-bbbb2222-0000"),
                new Gpu(2, "GPU-cccc3333-0000")));
    }

    private ExternalCommand discover(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        return ExternalCommand.run(List.of("bash", SCRIPT.toString()), env, 60);
    }

    private String[] addresses(Map<String, String> env) {
        ExternalCommand r = discover(env);
        assertEquals(0, r.exitCode(), r.output());
        ResourceInformation info = ResourceInformation.parseJson(r.output());
        assertEquals("gpu", info.name());
        return info.addresses();
    }

    @Test
    void everyGpuNvidiaSmiListsIsAnAddressInSparksJsonFormat() {
        Map<String, String> unset = new HashMap<>();
        unset.put("CUDA_VISIBLE_DEVICES", null);
        assertArrayEquals(new String[] {"0", "1", "2"}, addresses(unset));
    }

    @Test
    void visibleDevicesAreRenumberedFromZeroAsCudaDoes() {
        assertArrayEquals(new String[] {"0", "1"}, addresses(Map.of("CUDA_VISIBLE_DEVICES", "2,0")));
        assertArrayEquals(new String[] {"0"}, addresses(Map.of("CUDA_VISIBLE_DEVICES", "GPU-bbbb")));
        assertArrayEquals(new String[] {"0", "1"}, addresses(Map.of("CUDA_VISIBLE_DEVICES", " 1 , GPU-cccc3333-0000")));
    }

    @Test
    void visibleDevicesStopAtTheFirstUnknownOrRepeatedEntryAsCudaDoes() {
        assertArrayEquals(new String[] {"0"}, addresses(Map.of("CUDA_VISIBLE_DEVICES", "1,7,0")));
        assertArrayEquals(new String[] {"0"}, addresses(Map.of("CUDA_VISIBLE_DEVICES", "1,1,2")));
        // "GPU-" alone is a prefix of every UUID: ambiguous, so unknown
        assertArrayEquals(new String[0], addresses(Map.of("CUDA_VISIBLE_DEVICES", "GPU-,0")));
    }

    @Test
    void hiddenDevicesGiveNoAddresses() {
        for (String hidden : new String[] {"", "-1", "NoDevFiles"}) {
            assertArrayEquals(new String[0], addresses(Map.of("CUDA_VISIBLE_DEVICES", hidden)), "'" + hidden + "'");
        }
    }

    @Test
    void aNodeWithoutNvidiaSmiFailsSayingSo() {
        ExternalCommand r = discover(Map.of("NVIDIA_SMI", dir.resolve("absent/nvidia-smi").toString()));
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("no NVIDIA driver"), r.output());
    }

    @Test
    void aFailingNvidiaSmiFailsTheDiscoveryWithItsMessage() throws IOException {
        FakeNvidiaSmi.installBroken(bin);
        ExternalCommand r = discover(Map.of());
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("couldn't communicate with the NVIDIA driver"), r.output());
    }
}
