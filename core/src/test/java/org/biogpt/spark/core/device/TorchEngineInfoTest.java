package org.biogpt.spark.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchEngineInfoTest {
    @TempDir
    Path dir;

    @Test
    void theBundledEngineIsTheCpuLibtorch271WithoutCuda() {
        TorchEngineInfo info = TorchEngineInfo.current();
        assertNull(info.startError());
        assertEquals("0.36.0", info.djlVersion());
        assertEquals("2.7.1", info.libtorchVersion());
        assertEquals("cpu", info.flavor());
        assertFalse(info.cudaBuild());
        assertFalse(info.capabilities().contains(TorchEngineInfo.CUDA), info.capabilities().toString());
        assertEquals(0, info.cudaDevices());
        assertFalse(info.cudaAvailable());
        assertTrue(Files.isRegularFile(info.libtorchDir().resolve(System.mapLibraryName("torch"))), info.toString());
        if (Files.isReadable(Path.of("/proc/self/maps"))) {
            assertNotNull(info.jniLibrary());
            assertTrue(info.jniLibrary().getFileName().toString().endsWith("libdjl_torch.so"), info.toString());
        }
    }

    @Test
    void flavorComesFromDjlsCacheDirectoryNames() {
        assertEquals("cu128", TorchEngineInfo.flavorFromCacheName("2.7.1-cu128-linux-x86_64"));
        assertEquals("cpu-precxx11", TorchEngineInfo.flavorFromCacheName("2.7.1-cpu-precxx11-linux-aarch64"));
        assertEquals("cpu", TorchEngineInfo.flavorFromCacheName("2.7.1-20250812-cpu-linux-x86_64"));
        assertNull(TorchEngineInfo.flavorFromCacheName("2.7.1-20250812-linux-x86_64"));
        assertNull(TorchEngineInfo.flavorFromCacheName("lib"));
        assertNull(TorchEngineInfo.flavorFromCacheName("torch-2-cpu-x"));
        Path jni = Path.of("/c/pytorch/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so");
        assertEquals("cu128", TorchEngineInfo.flavorOf(Path.of("/opt/libtorch/lib"), true, null, jni));
        assertEquals("cu128", TorchEngineInfo.flavorOf(Path.of("/opt/libtorch/lib"), true, "cu128", null));
        assertEquals("unknown", TorchEngineInfo.flavorOf(Path.of("/opt/libtorch/lib"), true, " ", null));
        assertEquals("cpu", TorchEngineInfo.flavorOf(Path.of("/c/pytorch/2.7.1-cpu-linux-x86_64"), false, "cu128", null));
        // the loaded JNI library's folder wins over what PYTORCH_FLAVOR asked for
        Path cpuJni = Path.of("/c/pytorch/2.7.1-20250812-cpu-linux-x86_64/0.36.0-libdjl_torch.so");
        assertEquals("cpu", TorchEngineInfo.flavorOf(cpuJni.getParent(), true, "cu128", cpuJni));
        assertEquals("cu128", TorchEngineInfo.flavorOf(Path.of("/opt/libtorch/lib"), true, "cu128",
                Path.of("/opt/libtorch/lib/libdjl_torch.so")));
    }

    @Test
    void overrideMatchesTheDirectoryOrTheLibtorchFileInIt() {
        Path lib = Path.of("/opt/libtorch/lib");
        assertTrue(TorchEngineInfo.fromOverride(lib, "/opt/libtorch/lib"));
        assertTrue(TorchEngineInfo.fromOverride(lib, "/elsewhere:/opt/libtorch/lib/"));
        assertTrue(TorchEngineInfo.fromOverride(lib, "/opt/libtorch/lib/" + System.mapLibraryName("torch")));
        assertFalse(TorchEngineInfo.fromOverride(lib, "/opt/libtorch/lib/sub"));
        assertFalse(TorchEngineInfo.fromOverride(lib, null));
        assertFalse(TorchEngineInfo.fromOverride(lib, ""));
    }

    @Test
    void aCudaBuildIsRecognisedByItsLibtorchCudaLibrary() throws Exception {
        assertFalse(TorchEngineInfo.hasCudaLibrary(dir));
        Files.createFile(dir.resolve("libtorch_cpu.so"));
        assertFalse(TorchEngineInfo.hasCudaLibrary(dir));
        Files.createFile(dir.resolve("libtorch_cuda.so"));
        assertTrue(TorchEngineInfo.hasCudaLibrary(dir));
        assertFalse(TorchEngineInfo.hasCudaLibrary(dir.resolve("absent")));
    }

    @Test
    void mappedLibraryLinesYieldTheirPath() {
        assertEquals(Path.of("/c/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so"), MappedLibraries.pathOf(
                "7f1c2a000000-7f1c2a100000 r-xp 00000000 fd:01 1234   /c/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so"));
        assertEquals(Path.of("/tmp/a b/libx.so"), MappedLibraries.pathOf("7f-8f r--p 0 0:0 5 /tmp/a b/libx.so (deleted)"));
        assertNull(MappedLibraries.pathOf("7ffd-7ffe rw-p 00000000 00:00 0   [stack]"));
        assertTrue(MappedLibraries.matches("0.36.0-libdjl_torch.so", "djl_torch"));
        assertTrue(MappedLibraries.matches("libdjl_torch.so", "djl_torch"));
        assertFalse(MappedLibraries.matches("libdjl_torch_extra.so", "djl_torch"));
    }
}
