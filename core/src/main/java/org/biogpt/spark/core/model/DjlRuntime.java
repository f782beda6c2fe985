package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;
import org.biogpt.spark.core.device.TorchEngine;

/**
 * Starts DJL's PyTorch engine the way this project needs it and sets intra-op threads.
 *
 * <p>The engine itself starts offline through {@link TorchEngine#start()}. libtorch's
 * OpenMP/MKL thread count is per calling thread, so every forward calls
 * {@link #configureCurrentThread()}, which is a thread-local check after the first call.
 */
public final class DjlRuntime {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile boolean started;
    private static final ThreadLocal<Integer> CONFIGURED = new ThreadLocal<>();
    private static final ThreadLocal<Integer> CALL_THREADS = new ThreadLocal<>();

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
        TorchEngine.start();
        started = true;
    }

    public static int threads() {
        return threads;
    }

    /** A thread count as asked for: {@code requested}, or all cores when it is 0 or less. */
    public static int resolve(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs {@code body} with {@code n} intra-op threads for every forward it makes on this thread, whichever
     * model it calls: thread counts are a caller's choice, not a model's (n ≤ 0: each model's own).
     */
    public static <T> T withThreads(int n, Supplier<T> body) {
        if (n <= 0) {
            return body.get();
        }
        Integer outer = CALL_THREADS.get();
        CALL_THREADS.set(n);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                CALL_THREADS.remove();
            } else {
                CALL_THREADS.set(outer);
            }
        }
    }

    /** The intra-op threads of a forward on this thread: the caller's ({@link #withThreads}), else the model's. */
    public static int callThreads(int modelThreads) {
        Integer n = CALL_THREADS.get();
        return n != null ? n : modelThreads;
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
