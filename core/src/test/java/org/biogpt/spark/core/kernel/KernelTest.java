package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.biogpt.spark.core.model.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Vector API kernel against DJL's Linear.linear (MKL) on random matrices. */
class KernelTest {

    @Test
    void vectorModuleIsOnTheTestJvm() {
        // test.jvm.args adds the module; without it every other test here would compare DJL with DJL.
        assertTrue(SmallMatmul.available(), "tests must run with --add-modules jdk.incubator.vector");
        assertEquals(0, SmallMatmul.panelWidth() % 8, "panel width " + SmallMatmul.panelWidth());
    }

    /** n × k weights (odd sizes, not multiples of the vector length or panel), m rows of x. */
    @ParameterizedTest(name = "m={0} n={1} k={2} bias={3} threads={4}")
    @CsvSource({
        "1, 1024, 1024, true, 2",
        "3, 1024, 1024, true, 2",
        "8, 4096, 1024, true, 2",
        "8, 1024, 4096, true, 2",
        "33, 1024, 1024, true, 2",
        "16, 1024, 1024, true, 2",
        "20, 1024, 1024, true, 2",
        "32, 4096, 1024, true, 2",
        "21, 37, 19, true, 2",
        "24, 96, 64, true, 2",
        "19, 1061, 129, true, 2",
        "1, 37, 19, true, 1",
        "3, 37, 19, false, 2",
        "8, 100, 67, true, 3",
        "12, 33, 1, true, 2",
        "33, 1061, 129, false, 2",
        "64, 31, 17, true, 4",
        "5, 1, 5, true, 2",
        "8, 42384, 64, false, 2",
    })
    void matchesDjlLinear(int m, int n, int k, boolean withBias, int threads) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k);
        float[] x = gaussian(rnd, m * k);
        float[] w = gaussian(rnd, n * k);
        float[] b = withBias ? gaussian(rnd, n) : null;

        float[] want = djlLinear(x, m, w, b, n, k);
        float[] got;
        try (SmallMatmul kernel = new SmallMatmul(threads)) {
            got = kernel.multiply(x, m, SmallMatmul.pack(w, b, n, k));
        }

        assertEquals(want.length, got.length);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                // Both sums round differently (MKL blocks k, the kernel adds in order): error ≪ Σ|x·w|·1e-6.
                double scale = withBias ? Math.abs(b[c]) : 0;
                for (int i = 0; i < k; i++) {
                    scale += Math.abs(x[r * k + i] * w[c * k + i]);
                }
                double tol = 2e-6 * scale + 1e-5;
                int at = r * n + c;
                if (Math.abs(want[at] - got[at]) > tol) {
                    assertEquals(want[at], got[at], tol, "y[" + r + "][" + c + "]");
                }
            }
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 515;
        int k = 96;
        float[] w = gaussian(rnd, n * k);
        float[] b = gaussian(rnd, n);
        float[][] xs = new float[6][];
        float[][] want = new float[6][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = gaussian(rnd, (i + 1) * k);
            want[i] = djlLinear(xs[i], i + 1, w, b, n, k);
        }
        PackedMatrix p = SmallMatmul.pack(w, b, n, k);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (SmallMatmul kernel = new SmallMatmul(2)) {
            Future<?>[] done = new Future<?>[xs.length * 20];
            for (int j = 0; j < done.length; j++) {
                int i = j % xs.length;
                done[j] = callers.submit(() -> {
                    float[] y = kernel.multiply(xs[i], i + 1, p);
                    for (int c = 0; c < y.length; c++) {
                        assertEquals(want[i][c], y[c], 1e-3, "caller " + i + " y[" + c + "]");
                    }
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void multiplyRowsMatchesMultiplyWhenItsReusedBufferHeldALargerResult() {
        // multiplyRows keeps its padded result buffer per thread: a smaller call after a larger one must see none of the old values.
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] calls = {{9, 100, 33}, {3, 37, 19}, {9, 37, 19}, {1, 5, 7}};
        try (SmallMatmul kernel = new SmallMatmul(2)) {
            for (int[] c : calls) {
                int m = c[0];
                int n = c[1];
                int k = c[2];
                float[] x = gaussian(rnd, m * k);
                PackedMatrix p = SmallMatmul.pack(gaussian(rnd, n * k), gaussian(rnd, n), n, k);
                float[] flat = kernel.multiply(x, m, p);
                float[][] rows = kernel.multiplyRows(x, m, p);
                assertEquals(m, rows.length);
                for (int r = 0; r < m; r++) {
                    assertEquals(n, rows[r].length);
                    for (int j = 0; j < n; j++) {
                        assertEquals(flat[r * n + j], rows[r][j], 0f, "m=" + m + " n=" + n + " y[" + r + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void weightsPackedFromNativeMemoryAreCopiedNotKept() {
        SplittableRandom rnd = new SplittableRandom(13);
        int n = 70;
        int k = 9;
        int width = SmallMatmul.panelWidth();
        int count = (n + width - 1) / width;
        float[] w = gaussian(rnd, n * k);
        float[] b = gaussian(rnd, n);
        ByteBuffer rowMajor = ByteBuffer.allocateDirect(4 * n * k).order(ByteOrder.nativeOrder());   // W as libtorch holds it
        rowMajor.asFloatBuffer().put(w);
        float[] x = gaussian(rnd, 3 * k);
        try (SmallMatmul kernel = new SmallMatmul(2)) {
            PackedMatrix handedOver = PackedMatrix.ofRowBlocks(new ByteBuffer[] {rowMajor}, b, k, width, kernel);
            for (int i = 0; i < rowMajor.capacity(); i += 4) {
                rowMajor.putFloat(i, Float.NaN);                  // libtorch's memory may change or go afterwards
            }
            float[] want = kernel.multiply(x, 3, SmallMatmul.pack(w, b, n, k));
            float[] got = kernel.multiply(x, 3, handedOver);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 0f, "y[" + i + "]");
            }
            assertEquals(4L * (PackedMatrix.BASE + count * k * width + count * width), handedOver.bytes());
        }
    }

    @Test
    void packingRejectsWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> SmallMatmul.pack(new float[10], null, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> SmallMatmul.pack(new float[12], new float[4], 3, 4));
        PackedMatrix p = SmallMatmul.pack(new float[12], null, 3, 4);
        try (SmallMatmul kernel = new SmallMatmul(1)) {
            assertThrows(IllegalArgumentException.class, () -> kernel.multiply(new float[7], 2, p));
        }
    }

    static float[] gaussian(SplittableRandom rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            // Box-Muller, one value per pair
            double u = 1 - rnd.nextDouble();
            a[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble()));
        }
        return a;
    }

    private static float[] djlLinear(float[] x, int m, float[] w, float[] b, int n, int k) {
        DjlRuntime.start();
        try (NDManager nd = DjlRuntime.newManager()) {
            NDArray xa = nd.create(x, new Shape(m, k));
            NDArray wa = nd.create(w, new Shape(n, k));
            NDArray y = b == null ? Linear.linear(xa, wa).singletonOrThrow()
                    : Linear.linear(xa, wa, nd.create(b, new Shape(n))).singletonOrThrow();
            return y.toFloatArray();
        }
    }
}
