package org.biogpt.spark.jobs.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.biogpt.spark.core.device.TorchEngineInfo;
import org.biogpt.spark.jobs.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented runtime switch (PYTORCH_LIBRARY_PATH + PYTORCH_FLAVOR + PYTORCH_VERSION) in a child
 * JVM running {@code doctor}, offline, against a libtorch folder holding this JVM's CPU libtorch
 * (without its JNI library, as in a libtorch zip): DJL must take libtorch from that folder and the
 * JNI library of the asked flavor from the pytorch-jni jar, downloading nothing.
 */
class LibtorchSwitchTest {
    @TempDir
    Path dir;
    private Path libtorch;

    @BeforeEach
    void libtorchFolder() throws IOException {
        libtorch = Files.createDirectories(dir.resolve("libtorch/lib"));
        try (Stream<Path> files = Files.list(TorchEngineInfo.current().libtorchDir())) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().contains("djl_torch")) {
                    Files.createSymbolicLink(libtorch.resolve(f.getFileName()), f);
                }
            }
        }
    }

    private ExternalCommand doctor(String flavor) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + dir.resolve("djl-cache"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "doctor", "--nvidia-smi", dir.resolve("absent/nvidia-smi").toString(),
                "--discovery-script", dir.resolve("absent.sh").toString()));
        Map<String, String> env = new HashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", libtorch.toString());
        env.put("PYTORCH_FLAVOR", flavor);
        env.put("PYTORCH_VERSION", "2.7.1");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("DJL_CACHE_DIR", null);
        env.put("CUDA_VISIBLE_DEVICES", null);
        return ExternalCommand.run(cmd, env, 120);
    }

    private static String line(ExternalCommand r, String topic) {
        return r.output().lines().filter(l -> l.startsWith(topic + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + topic + ":' line in:\n" + r.output()));
    }

    @Test
    void libraryPathWithTheCpuFlavorLoadsThatLibtorch() {
        ExternalCommand r = doctor("cpu");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(line(r, "libtorch").equals("libtorch: 2.7.1, flavor cpu, from " + libtorch + " (PYTORCH_LIBRARY_PATH)"),
                r.output());
        assertTrue(line(r, "jni library").contains("2.7.1-cpu-linux-x86_64"), r.output());
        assertTrue(line(r, "gpu").contains("CPU-only build"), r.output());
    }

    @Test
    void theCu128SwitchTakesTheJarsCu128JniLibraryOfflineWhichNeedsCudaLibtorch() {
        ExternalCommand r = doctor("cu128");
        assertEquals(0, r.exitCode(), r.output());
        Path jni = dir.resolve("djl-cache/pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so");
        assertTrue(Files.isRegularFile(jni), "cu128 JNI library not extracted:\n" + r.output());
        String engine = line(r, "pytorch engine");
        assertTrue(engine.contains("did not start") && engine.contains(jni.toString()) && engine.contains("libc10_cuda"),
                r.output());
        assertTrue(line(r, "gpu").startsWith("gpu: not used: the PyTorch engine did not start"), r.output());
    }
}
