package org.biogpt.spark.core.device;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine the one way this project allows: offline, with one inter-op
 * thread, libtorch unpacked into the project's cache folder unless told otherwise. Whoever touches the engine first (a model load, a device check, doctor) goes through here.
 */
public final class TorchEngine {
    /** DJL's setting (system property or environment variable) for where libtorch unpacks. */
    public static final String CACHE_DIR = "DJL_CACHE_DIR";
    private static volatile boolean started;

    private TorchEngine() {
    }

    public static synchronized void start() {
        if (started) {
            return;
        }
        // Must be set before DJL's engine starts, otherwise the start makes an HTTP call.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        String cacheDir = defaultCacheDir(System.getProperty(CACHE_DIR), System.getenv(CACHE_DIR),
                System.getProperty("user.home"));
        if (cacheDir != null) {
            System.setProperty(CACHE_DIR, cacheDir);
        }
        // Inter-op parallelism would only oversubscribe the few cores an executor task gets;
        // libtorch accepts this only before its first parallel op, so it goes in before start.
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (Engine.getEngine("PyTorch") == null) {
            throw new IllegalStateException("DJL PyTorch engine is not available");
        }
        started = true;
    }

    /**
     * Where libtorch unpacks when nobody said: {@code ~/.cache/biogpt-spark/djl}, the launcher's and
     * the build's folder, so that a library user's JVM (a notebook, an application, an executor) reuses
     * the same ~430 MB instead of unpacking another copy into DJL's own {@code ~/.djl.ai}. Null when the
     * property or environment variable is set (theirs wins) or there is no home directory.
     */
    static String defaultCacheDir(String property, String environment, String userHome) {
        if (property != null && !property.isBlank() || environment != null && !environment.isBlank()
                || userHome == null || userHome.isBlank() || userHome.equals("?")) {
            return null;
        }
        return java.nio.file.Path.of(userHome, ".cache", "biogpt-spark", "djl").toString();
    }
}
