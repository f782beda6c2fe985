package org.biogpt.spark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * y = x·Wᵀ + b for few rows (decode steps: M = batch × beams ≤ 64) on the JDK Vector API, split over a
 * small pool of Java threads by output panels: each weight float is streamed once and used for 8
 * rows from registers (see {@link VectorKernel}); at M = 1..8 it streams the weights faster than
 * MKL does (docs/PERFORMANCE.md).
 *
 * <p>The pool has {@code threads − 1} workers; the caller does one share itself. Workers spin
 * for a short while after each job (a decode step issues ~100 matmuls back to back) and then
 * park. An {@link Epilogue} (the FFN's activation) runs on the threads that computed the columns.
 * libtorch must run with 1 intra-op thread while this is in use, or its OpenMP threads spin
 * against these workers for the same cores.
 *
 * <p>Thread-safe: one multiply uses the pool at a time; a concurrent caller (another Spark task
 * thread sharing the model) runs its multiply on its own thread instead of waiting.
 */
public final class SmallMatmul implements AutoCloseable {
    private static final long SPIN_NANOS = 200_000;
    /**
     * Weight bytes per chunk handed to a thread: 4 panels at k = 1024, 1 at k = 4096. By bytes, not
     * panels: a job ends when its last chunk does, and larger chunks (4 panels at k = 4096) left a
     * core idle at the end of every FFN down-projection.
     */
    private static final int CHUNK_BYTES = 512 << 10;
    private static final String UNAVAILABLE = checkJvm();
    /**
     * Per calling thread, the padded result of {@link #multiplyRows} (the LM head's: [B, V]), reused: a fresh one every decode step is a G1 humongous allocation, and with
     * the packed weights on the heap each of those started a concurrent GC cycle.
     */
    private static final ThreadLocal<float[]> ROWS_SCRATCH = new ThreadLocal<>();
    /**
     * Per calling thread, x re-laid for the tiles and a padded result, reused by {@link #multiplyInto}: a decode step makes ~100
     * multiplies, and fresh arrays for each were most of the step's garbage, which grew the heap at large batches.
     */
    private static final ThreadLocal<float[]> XT_SCRATCH = new ThreadLocal<>();
    private static final ThreadLocal<float[]> PADDED_SCRATCH = new ThreadLocal<>();

    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();

    /** @param threads threads per multiply, the caller included (≥ 1) */
    public SmallMatmul(int threads) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the decode kernel cannot run: " + UNAVAILABLE);
        }
        workers = new Worker[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    /**
     * Whether this JVM can run the kernel: started with {@code --add-modules jdk.incubator.vector},
     * and its Vector API still has the ByteBuffer loads the decode step's attention is written with.
     */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why {@link #available()} is false, for messages; null when it is true. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * The decode step reads the key/value cache (libtorch's memory) with JDK 17's
     * {@code FloatVector.fromByteBuffer} ({@link DecodeAttention}). JDK 19 replaced the Vector API's ByteBuffer loads with
     * MemorySegment ones, so on Java 19+ (e.g. 21, which Spark supports) calling it would throw
     * NoSuchMethodError at the first decode step: there the kernel reports itself unavailable and
     * decode steps stay on DJL/MKL. By reflection: this class itself must load where the module is absent.
     */
    private static String checkJvm() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the JVM runs without --add-modules jdk.incubator.vector";
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector").getMethod("fromByteBuffer",
                    Class.forName("jdk.incubator.vector.VectorSpecies"), ByteBuffer.class, int.class, ByteOrder.class);
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return "Java " + Runtime.version().feature() + "'s Vector API lacks the Java 17 ByteBuffer loads the decode step reads its key/value cache with";
        }
    }

    /** The panel width packed matrices must use on this CPU (2 vectors of the preferred species). */
    public static int panelWidth() {
        return VectorKernel.PANEL;
    }

    /** W [n, k] row-major and bias [n] (or null), re-laid for this kernel. */
    public static PackedMatrix pack(float[] w, float[] bias, int n, int k) {
        return PackedMatrix.pack(w, bias, n, k, VectorKernel.PANEL);
    }

    /** W [n, k] row-major and bias [n] (or null), re-laid for this kernel in {@code format}. */
    public static PackedMatrix pack(float[] w, float[] bias, int n, int k, DecodeWeights format) {
        return PackedMatrix.pack(w, bias, n, k, VectorKernel.PANEL, format);
    }

    public int threads() {
        return workers.length + 1;
    }

    /**
     * @param x [m, k] row-major
     * @return y [m, n] row-major
     */
    public float[] multiply(float[] x, int m, PackedMatrix w) {
        return multiply(x, m, w, Epilogue.NONE);
    }

    /**
     * @param x        [m, k] row-major
     * @param epilogue activation applied to y (by the threads that computed it)
     * @return y [m, n] row-major
     */
    public float[] multiply(float[] x, int m, PackedMatrix w, Epilogue epilogue) {
        return unpad(padded(x, m, w, epilogue), m, w.n, w.panelCount * w.panelWidth);
    }

    /**
     * As {@link #multiply(float[], int, PackedMatrix, Epilogue)} into the caller's array, with this
     * thread's scratch arrays reused: nothing is allocated once they are large enough.
     *
     * @param y [m, n] row-major, every value overwritten
     */
    public void multiplyInto(float[] x, int m, PackedMatrix w, Epilogue epilogue, float[] y) {
        if (y.length != (long) m * w.n) {
            throw new IllegalArgumentException("y has " + y.length + " values, expected " + m + " x " + w.n);
        }
        int padded = w.panelCount * w.panelWidth;
        if (padded == w.n) {
            compute(x, m, w, epilogue, y, scratch(XT_SCRATCH, VectorKernel.tiledRows(m) * w.k));
            return;
        }
        float[] p = scratch(PADDED_SCRATCH, m * padded);
        compute(x, m, w, epilogue, p, scratch(XT_SCRATCH, VectorKernel.tiledRows(m) * w.k));
        for (int r = 0; r < m; r++) {
            System.arraycopy(p, r * padded, y, r * w.n, w.n);
        }
    }

    /** This thread's array of {@code scratch}, at least {@code length} long. */
    private static float[] scratch(ThreadLocal<float[]> scratch, int length) {
        float[] a = scratch.get();
        if (a == null || a.length < length) {
            a = new float[length];
            scratch.set(a);
        }
        return a;
    }

    /**
     * y = x·Wᵀ + b as one array per row, copied straight from the padded result (for the LM head's
     * logits, which leave as [B][V]: saves two copies of B × V floats).
     *
     * @param x [m, k] row-major
     * @return y [m][n]
     */
    public float[][] multiplyRows(float[] x, int m, PackedMatrix w) {
        int padded = w.panelCount * w.panelWidth;
        float[] y = ROWS_SCRATCH.get();
        if (y == null || y.length < m * padded) {
            y = new float[m * padded];
            ROWS_SCRATCH.set(y);
        }
        compute(x, m, w, Epilogue.NONE, y);
        float[][] rows = new float[m][];
        for (int r = 0; r < m; r++) {
            rows[r] = Arrays.copyOfRange(y, r * padded, r * padded + w.n);
        }
        return rows;
    }

    /** y [m, panelCount · panelWidth], padded columns included. */
    private float[] padded(float[] x, int m, PackedMatrix w, Epilogue epilogue) {
        float[] y = new float[m * w.panelCount * w.panelWidth];   // [m, padded]: stores need no tail case
        compute(x, m, w, epilogue, y);
        return y;
    }

    /** Fills y[0 .. m · padded) (every value is written, so y may hold old results). */
    private void compute(float[] x, int m, PackedMatrix w, Epilogue epilogue, float[] y) {
        compute(x, m, w, epilogue, y, new float[VectorKernel.tiledRows(m) * w.k]);
    }

    /** As above, with xt (at least tiledRows(m) · k floats) to re-lay x into. */
    private void compute(float[] x, int m, PackedMatrix w, Epilogue epilogue, float[] y, float[] xt) {
        if (w.panelWidth != VectorKernel.PANEL) {
            throw new IllegalArgumentException("matrix packed for panel width " + w.panelWidth + ", kernel uses " + VectorKernel.PANEL);
        }
        if (x.length != (long) m * w.k) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + m + " x " + w.k);
        }
        VectorKernel.transpose(x, m, w.k, xt);
        int chunk = Math.max(1, CHUNK_BYTES / (4 * w.k * w.panelWidth));
        parallel(w.panelCount, chunk, (p0, p1) -> part(x, xt, m, w, y, p0, p1, epilogue));
    }

    /** Work on items [from, to) of a job split over the pool's threads. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over [0, count) on the pool's threads, the caller included, and returns
     * when all is done. Items are handed out in chunks from a shared counter rather than split
     * in equal halves: measured in a decode step, the caller's core ran slower than the
     * worker's (the JVM's own threads share it), and a static split left the worker waiting.
     * A concurrent caller runs all of its task itself.
     *
     * @param chunk items taken at a time (contiguous: a chunk of panels is one memory stream)
     */
    public void parallel(int count, int chunk, Range task) {
        int parts = Math.min(threads(), (count + chunk - 1) / chunk);
        if (parts <= 1 || !lock.tryLock()) {
            task.run(0, count);
            return;
        }
        try {
            AtomicInteger next = new AtomicInteger();
            Range share = (from, to) -> {
                for (int at = next.getAndAdd(chunk); at < count; at = next.getAndAdd(chunk)) {
                    task.run(at, Math.min(count, at + chunk));
                }
            };
            pending.set(parts - 1);
            for (int i = 1; i < parts; i++) {
                workers[i - 1].submit(share, 0, count);
            }
            share.run(0, count);
            long start = System.nanoTime();
            while (pending.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable failure = null;
            for (int i = 1; i < parts; i++) {
                Throwable t = workers[i - 1].takeFailure();
                if (t != null) {
                    failure = t;
                }
            }
            if (failure != null) {
                throw new IllegalStateException("kernel worker failed", failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Panels [p0, p1) of y for all rows, then the epilogue over those columns. */
    private static void part(float[] x, float[] xt, int m, PackedMatrix w, float[] y, int p0, int p1, Epilogue epilogue) {
        VectorKernel.multiply(x, xt, m, w, y, p0, p1);
        if (epilogue != Epilogue.NONE) {
            int stride = w.panelCount * w.panelWidth;
            for (int r = 0; r < m; r++) {
                epilogue.apply(y, r * stride + p0 * w.panelWidth, r * stride + p1 * w.panelWidth);
            }
        }
    }

    /** [m, padded] → [m, n], in place when n < padded. */
    private static float[] unpad(float[] y, int m, int n, int padded) {
        if (n == padded) {
            return y;
        }
        for (int r = 1; r < m; r++) {
            System.arraycopy(y, r * padded, y, r * n, n);
        }
        return Arrays.copyOf(y, m * n);
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.shutdown();
        }
    }

    /** One pool thread: waits for a job (spin, then park), runs it, counts down {@link #pending}. */
    private final class Worker extends Thread {
        private volatile boolean hasJob;
        private volatile boolean stop;
        private volatile Throwable failure;
        private Range task;
        private int from;
        private int to;

        Worker(int index) {
            super("biogpt-matmul-" + index);
            setDaemon(true);
        }

        void submit(Range task, int from, int to) {
            this.task = task;
            this.from = from;
            this.to = to;
            hasJob = true;                      // volatile write publishes the fields above
            LockSupport.unpark(this);
        }

        Throwable takeFailure() {
            Throwable t = failure;
            failure = null;
            return t;
        }

        void shutdown() {
            stop = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!stop) {
                long start = System.nanoTime();
                while (!hasJob && !stop) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (stop) {
                    return;
                }
                try {
                    task.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    task = null;
                    hasJob = false;
                    pending.decrementAndGet();
                }
            }
        }
    }
}
