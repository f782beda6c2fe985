package org.biogpt.spark.core.device;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What this JVM's DJL PyTorch engine is: which libtorch it loaded (version, flavor, directory,
 * JNI library), what that libtorch was built with and whether it sees CUDA devices. Gathered
 * without downloading anything: the engine is started offline ({@link TorchEngine#start()}), and a
 * libtorch that cannot be loaded is reported as {@link #startError()} instead of thrown.
 *
 * @param djlVersion      DJL's own version
 * @param startError      why the engine did not start (null when it did; then the fields below are empty)
 * @param libtorchVersion libtorch version DJL reports
 * @param flavor          {@code cpu}, {@code cu128}, ... : the JNI build DJL pairs with libtorch
 * @param libtorchDir     the directory libtorch was loaded from
 * @param libtorchOverride whether that directory came from {@code PYTORCH_LIBRARY_PATH}
 * @param cudaBuild       whether that directory holds libtorch's CUDA library ({@code libtorch_cuda})
 * @param jniLibrary      the {@code libdjl_torch} file the JVM mapped (null where /proc is absent)
 * @param capabilities    libtorch's features as DJL reports them (CUDA, CUDNN, MKL, MKLDNN, OPENMP)
 * @param cudaDevices     CUDA devices libtorch can use (0 without the CUDA capability)
 */
public record TorchEngineInfo(String djlVersion, String startError, String libtorchVersion, String flavor,
                              Path libtorchDir, boolean libtorchOverride, boolean cudaBuild, Path jniLibrary,
                              Set<String> capabilities, int cudaDevices) {
    /** DJL's capability name for a libtorch whose {@code torch::cuda::is_available()} is true. */
    public static final String CUDA = "CUDA";
    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    static final String FLAVOR = "PYTORCH_FLAVOR";
    private static final String LIBTORCH = System.mapLibraryName("torch");

    private static volatile TorchEngineInfo probed;

    public TorchEngineInfo {
        capabilities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(capabilities));
    }

    /** Whether the engine started and libtorch reports CUDA with at least one device. */
    public boolean cudaAvailable() {
        return startError == null && capabilities.contains(CUDA) && cudaDevices > 0;
    }

    /** This JVM's engine, probed once (starting it if nobody has). */
    public static TorchEngineInfo current() {
        TorchEngineInfo info = probed;
        if (info == null) {
            synchronized (TorchEngineInfo.class) {
                info = probed;
                if (info == null) {
                    info = probe();
                    probed = info;
                }
            }
        }
        return info;
    }

    private static TorchEngineInfo probe() {
        String djl = Engine.getDjlVersion();
        try {
            TorchEngine.start();
        } catch (RuntimeException | LinkageError e) {
            return new TorchEngineInfo(djl, describe(e), null, null, null, false, false, null, Set.of(), 0);
        }
        Engine engine = Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath()).toAbsolutePath().normalize();
        boolean override = fromOverride(dir, System.getenv(LIBRARY_PATH));
        Set<String> caps = new TreeSet<>();
        for (String c : List.of(CUDA, "CUDNN", "MKL", "MKLDNN", "OPENMP")) {
            if (engine.hasCapability(c)) {
                caps.add(c);
            }
        }
        int devices = caps.contains(CUDA) ? engine.getGpuCount() : 0;
        Path jni = MappedLibraries.find("djl_torch");
        String flavor = flavorOf(dir, override, System.getenv(FLAVOR), jni);
        return new TorchEngineInfo(djl, null, engine.getVersion(), flavor, dir, override, hasCudaLibrary(dir), jni,
                caps, devices);
    }

    /**
     * The flavor of the JNI library DJL loaded. DJL extracts it into {@code <version>-<flavor>-<os>-<arch>}
     * of its cache, so the loaded file's folder says it; a JNI library found beside a
     * {@code PYTORCH_LIBRARY_PATH} libtorch is taken to be {@code PYTORCH_FLAVOR}; a bundled libtorch
     * unpacks into a folder named like the JNI one.
     */
    static String flavorOf(Path libtorchDir, boolean override, String flavorEnv, Path jni) {
        String fromJni = jni == null || jni.getParent() == null || jni.getParent().getFileName() == null ? null
                : flavorFromCacheName(jni.getParent().getFileName().toString());
        if (fromJni != null) {
            return fromJni;
        }
        if (override) {
            return flavorEnv != null && !flavorEnv.isBlank() ? flavorEnv.strip() : "unknown";
        }
        String fromDir = libtorchDir.getFileName() == null ? null : flavorFromCacheName(libtorchDir.getFileName().toString());
        return fromDir != null ? fromDir : "unknown";
    }

    /**
     * {@code 2.7.1-cu128-linux-x86_64} or {@code 2.7.1-20250812-cpu-linux-x86_64} (a bundled build's
     * date after the version) → the flavor; null for any other name.
     */
    static String flavorFromCacheName(String name) {
        String[] parts = name.split("-");
        if (parts.length < 4 || !parts[0].matches("\\d+\\.\\d+\\.\\d+")) {
            return null;
        }
        int from = 1;
        while (from < parts.length - 2 && parts[from].matches("\\d+")) {
            from++;
        }
        if (from >= parts.length - 2) {
            return null;
        }
        return String.join("-", java.util.Arrays.copyOfRange(parts, from, parts.length - 2));
    }

    static boolean fromOverride(Path dir, String libraryPath) {
        if (libraryPath == null || libraryPath.isBlank()) {
            return false;
        }
        for (String entry : libraryPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                Path p = Path.of(entry).toAbsolutePath().normalize();
                boolean libraryFile = p.getFileName() != null && p.getFileName().toString().equals(LIBTORCH);
                if (p.equals(dir) || (libraryFile && dir.equals(p.getParent()))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasCudaLibrary(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch_cuda"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 600; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return sb.toString();
    }
}
