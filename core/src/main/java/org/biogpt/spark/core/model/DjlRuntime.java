package org.biogpt.spark.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine the way this project needs it and sets intra-op threads.
 *
 * <p>{@code ai.djl.offline} must be set before any DJL class loads, otherwise the engine start
 * makes an HTTP call; {@link #init(int)} sets it if the JVM was started without it. libtorch's
 * OpenMP/MKL thread count is per calling thread, so every forward calls
 * {@link #configureCurrentThread()}, which is a thread-local check after the first call.
 */
public final class DjlRuntime {
    /** DJL's setting (system property or environment variable) for where libtorch unpacks. */
    public static final String CACHE_DIR = "DJL_CACHE_DIR";
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile boolean started;
    private static final ThreadLocal<Integer> CONFIGURED = new ThreadLocal<>();

    private DjlRuntime() {
    }

    /** Starts the engine with this many intra-op threads per calling thread (≤ 0: all cores). */
    public static synchronized void init(int intraOpThreads) {
        threads = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        start();
        CONFIGURED.remove();
        configureCurrentThread();
    }

    /** The engine with the current thread count; starts it with all cores if nobody did. */
    public static synchronized void start() {
        if (started) {
            return;
        }
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
        Engine engine = Engine.getEngine("PyTorch");
        if (engine == null) {
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

    public static int threads() {
        return threads;
    }

    /** Applies the intra-op thread count to the calling thread (cheap after the first call). */
    public static void configureCurrentThread() {
        configureCurrentThread(threads);
    }

    /** Sets the calling thread's intra-op threads to {@code n}; a thread-local check when unchanged. */
    public static void configureCurrentThread(int n) {
        if (!started) {
            start();
        }
        Integer done = CONFIGURED.get();
        if (done == null || done != n) {
            JniUtils.setNumThreads(n);
            CONFIGURED.set(n);
        }
    }

    /** A new root-level manager on the PyTorch engine. */
    public static NDManager newManager() {
        start();
        return NDManager.newBaseManager("PyTorch");
    }
}
