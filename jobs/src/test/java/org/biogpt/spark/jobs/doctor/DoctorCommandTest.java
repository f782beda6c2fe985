package org.biogpt.spark.jobs.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.biogpt.spark.jobs.Main;
import org.biogpt.spark.jobs.doctor.FakeNvidiaSmi.Gpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} on this CPU-only engine, with a fake nvidia-smi standing in for a node's GPUs. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out) {
        String line(String topic) {
            return out.lines().filter(l -> l.startsWith(topic + ":")).findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + topic + ":' line in:\n" + out));
        }
    }

    private static Run doctor(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "doctor";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = Main.execute(all);
            return new Run(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void reportsTheCpuLibtorchTheGpusNvidiaSmiSeesAndWhyTheModelStaysOnTheCpu() throws Exception {
        Path smi = FakeNvidiaSmi.install(dir.resolve("bin"), List.of(new Gpu(0, "GPU-aaaa"), new Gpu(1, "GPU-bbbb")));
        Run r = doctor("--nvidia-smi", smi.toString(), "--discovery-script", FakeNvidiaSmi.DISCOVERY_SCRIPT.toString());
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.line("java").contains(Runtime.version().toString()), r.out());
        assertTrue(r.line("libtorch").contains("2.7.1, flavor cpu"), r.out());
        assertTrue(r.line("libtorch").contains("(bundled jar)"), r.out());
        assertTrue(r.line("jni library").contains("libdjl_torch.so"), r.out());
        assertTrue(r.line("libtorch features").contains("CUDA build: no"), r.out());
        assertEquals("cuda devices (libtorch): 0", r.line("cuda devices (libtorch)"));
        assertTrue(r.line("cuda devices (nvidia-smi)").contains("0, NVIDIA H100 80GB HBM3")
                && r.line("cuda devices (nvidia-smi)").contains("1, NVIDIA H100"), r.out());
        assertTrue(r.out().contains("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}")
                || System.getenv("CUDA_VISIBLE_DEVICES") != null, r.out());
        String gpu = r.line("gpu");
        assertTrue(gpu.startsWith("gpu: not used: libtorch 2.7.1 (cpu)"), gpu);
        assertTrue(gpu.contains("PYTORCH_LIBRARY_PATH") && gpu.contains("PYTORCH_FLAVOR=cu128"), gpu);
    }

    @Test
    void aNodeWithoutNvidiaSmiSaysSoAndRequireGpuFails() {
        Path absent = dir.resolve("absent/nvidia-smi");
        Run r = doctor("--nvidia-smi", absent.toString(), "--discovery-script", FakeNvidiaSmi.DISCOVERY_SCRIPT.toString(),
                "--require-gpu");
        assertEquals(3, r.exitCode(), r.out());
        assertTrue(r.line("cuda devices (nvidia-smi)").contains("none found: cannot run " + absent), r.out());
        assertTrue(r.line("spark gpu discovery (" + FakeNvidiaSmi.DISCOVERY_SCRIPT + ")").contains("fails (exit 1)"), r.out());
        assertTrue(r.line("spark gpu discovery (" + FakeNvidiaSmi.DISCOVERY_SCRIPT + ")").contains("no NVIDIA driver"), r.out());
    }
}
