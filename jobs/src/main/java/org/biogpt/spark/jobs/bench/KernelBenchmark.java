package org.biogpt.spark.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.lang.management.ManagementFactory;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.model.DjlRuntime;

/**
 * Matmul alone, y = x·Wᵀ + b, for decode shapes: the Vector API kernel over fp32 and over bf16
 * panels against DJL/MKL ({@code Linear.linear}), interleaved in one JVM. Cycles through 24
 * distinct weights of each shape (more than the L3), as a decode step streams every layer's
 * weights once. Also prints the Java heap each kernel call allocates, all threads together: the
 * result and x's transpose only, unless C2 failed to keep the vectors in registers (boxed vectors
 * allocate per FMA, megabytes per call).
 */
public final class KernelBenchmark {
    private KernelBenchmark() {
    }

    /** One line per (m, shape): median ms per matmul and GFLOP/s of both paths. */
    public static List<String> run(int[] ms, int[][] shapes, int threads, int reps) {
        List<String> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        try (NDManager nd = DjlRuntime.newManager(); SmallMatmul kernel = new SmallMatmul(threads)) {
            for (int[] nk : shapes) {
                int n = nk[0];
                int k = nk[1];
                int count = 24;
                NDArray[] w = new NDArray[count];
                NDArray[] b = new NDArray[count];
                PackedMatrix[] p = new PackedMatrix[count];
                PackedMatrix[] h = new PackedMatrix[count];
                for (int i = 0; i < count; i++) {
                    float[] wf = random(rnd, n * k);
                    float[] bf = random(rnd, n);
                    w[i] = nd.create(wf, new Shape(n, k));
                    b[i] = nd.create(bf, new Shape(n));
                    p[i] = SmallMatmul.pack(wf, bf, n, k);
                    h[i] = SmallMatmul.pack(wf, bf, n, k, DecodeWeights.BF16);
                }
                for (int m : ms) {
                    float[] xf = random(rnd, m * k);
                    NDArray x = nd.create(xf, new Shape(m, k));
                    double[] djl = new double[reps];
                    double[] vec = new double[reps];
                    double[] half = new double[reps];
                    long[] allocated = new long[2];
                    for (int r = -1; r < reps; r++) {           // r = -1: warm-up
                        DjlRuntime.configureCurrentThread(threads);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < count; i++) {
                            Linear.linear(x, w[i], b[i]).singletonOrThrow().close();
                        }
                        long t1 = System.nanoTime();
                        DjlRuntime.configureCurrentThread(1);
                        long a0 = allocatedBytes();
                        for (int i = 0; i < count; i++) {
                            kernel.multiply(xf, m, p[i]);
                        }
                        long t2 = System.nanoTime();
                        long a1 = allocatedBytes();
                        for (int i = 0; i < count; i++) {
                            kernel.multiply(xf, m, h[i]);
                        }
                        long t3 = System.nanoTime();
                        long a2 = allocatedBytes();
                        if (r >= 0) {
                            djl[r] = (t1 - t0) / 1e6 / count;
                            vec[r] = (t2 - t1) / 1e6 / count;
                            half[r] = (t3 - t2) / 1e6 / count;
                            allocated[0] = (a1 - a0) / count;
                            allocated[1] = (a2 - a1) / count;
                        }
                    }
                    x.close();
                    double flop = 2.0 * m * n * k;
                    double dm = median(djl);
                    double vm = median(vec);
                    double hm = median(half);
                    out.add(String.format(Locale.ROOT,
                            "matmul m=%d [%d x %d]: DJL/MKL %.3f ms (%.1f GFLOP/s), kernel %.3f ms (%.1f GFLOP/s, %.1f GB/s of weights), %.2fx;"
                                    + " kernel bf16 %.3f ms (%.1f GFLOP/s, %.1f GB/s of weights), %.2fx; heap per call %d / %d bytes (fp32 / bf16)",
                            m, n, k, dm, flop / dm / 1e6, vm, flop / vm / 1e6, 4.0 * n * k / vm / 1e6, dm / vm,
                            hm, flop / hm / 1e6, 2.0 * n * k / hm / 1e6, dm / hm, allocated[0], allocated[1]));
                }
                for (int i = 0; i < count; i++) {
                    w[i].close();
                    b[i].close();
                }
            }
        }
        DjlRuntime.configureCurrentThread();
        return out;
    }

    /** Heap bytes allocated so far by every live thread (the kernel's workers included). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5) * 0.04f;
        }
        return a;
    }
}
