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
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.model.DjlRuntime;

/**
 * Matmul alone, y = x·Wᵀ + b, for decode shapes: the Vector API kernel against DJL/MKL
 * ({@code Linear.linear}), interleaved in one JVM. Cycles through 24 distinct weights of each
 * shape (more than the L3), as a decode step streams every layer's weights once.
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
                for (int i = 0; i < count; i++) {
                    float[] wf = random(rnd, n * k);
                    float[] bf = random(rnd, n);
                    w[i] = nd.create(wf, new Shape(n, k));
                    b[i] = nd.create(bf, new Shape(n));
                    p[i] = SmallMatmul.pack(wf, bf, n, k);
                }
                for (int m : ms) {
                    float[] xf = random(rnd, m * k);
                    NDArray x = nd.create(xf, new Shape(m, k));
                    double[] djl = new double[reps];
                    double[] vec = new double[reps];
                    for (int r = -1; r < reps; r++) {           // r = -1: warm-up
                        DjlRuntime.configureCurrentThread(threads);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < count; i++) {
                            Linear.linear(x, w[i], b[i]).singletonOrThrow().close();
                        }
                        long t1 = System.nanoTime();
                        DjlRuntime.configureCurrentThread(1);
                        for (int i = 0; i < count; i++) {
                            kernel.multiply(xf, m, p[i]);
                        }
                        long t2 = System.nanoTime();
                        if (r >= 0) {
                            djl[r] = (t1 - t0) / 1e6 / count;
                            vec[r] = (t2 - t1) / 1e6 / count;
                        }
                    }
                    x.close();
                    double flop = 2.0 * m * n * k;
                    double dm = median(djl);
                    double vm = median(vec);
                    out.add(String.format(Locale.ROOT,
                            "matmul m=%d [%d x %d]: DJL/MKL %.3f ms (%.1f GFLOP/s), kernel %.3f ms (%.1f GFLOP/s, %.1f GB/s of weights), %.2fx",
                            m, n, k, dm, flop / dm / 1e6, vm, flop / vm / 1e6, 4.0 * n * k / vm / 1e6, dm / vm));
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
