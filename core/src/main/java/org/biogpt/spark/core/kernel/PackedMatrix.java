package org.biogpt.spark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A linear layer's weight W [n, k] (as stored, [out, in]) and bias b [n], re-laid into column
 * panels for {@link VectorKernel}: panel p holds output columns p·w .. p·w + w − 1
 * (w = {@link #panelWidth}) for every k, contiguous:
 *
 * <pre>
 *   panels[(p · k + kk) · w + j] = W[p · w + j, kk]       (0 where p · w + j ≥ n)
 *   bias[p · w + j]              = b[p · w + j]            (0 where missing or padded)
 * </pre>
 *
 * So for each kk one panel row is w contiguous floats: two vector loads feed a whole row of
 * FMAs without any reduction. n is padded up to a multiple of w (vocab 42384 → 42400 at w 32).
 *
 * <p>The panels are native-order floats in a direct buffer: off the Java heap, so a model's
 * packed copy needs no -Xmx. The model packs with libtorch into memory libtorch owns
 * ({@link #ofPanels}); {@link #pack} does it in Java for tests and benchmarks. Plain Java: no
 * vector class is touched here.
 */
public final class PackedMatrix {
    final int n;            // output columns (rows of W)
    final int k;            // input columns
    final int panelWidth;   // w
    final int panelCount;   // ceil(n / w)
    final ByteBuffer panels;   // [panelCount, k, w] floats, native order
    final float[] bias;     // [panelCount · w]
    final int[] streamOrder;   // [k]: the kernel's first-pass row order ({@link PanelWalk})

    private PackedMatrix(int n, int k, int panelWidth, ByteBuffer panels, float[] bias) {
        this.n = n;
        this.k = k;
        this.panelWidth = panelWidth;
        this.panelCount = (n + panelWidth - 1) / panelWidth;
        this.panels = panels.order(ByteOrder.nativeOrder());
        this.bias = bias;
        this.streamOrder = PanelWalk.interleaved(k);
    }

    /**
     * Packs in Java into a new direct buffer.
     *
     * @param w    W row-major, [n, k]
     * @param b    bias [n], or null for none
     */
    public static PackedMatrix pack(float[] w, float[] b, int n, int k, int panelWidth) {
        if (w.length != (long) n * k) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + n + " x " + k);
        }
        int panelCount = (n + panelWidth - 1) / panelWidth;
        checkSize(panelCount, k, panelWidth);
        ByteBuffer panels = ByteBuffer.allocateDirect(4 * panelCount * k * panelWidth).order(ByteOrder.nativeOrder());
        for (int row = 0; row < n; row++) {          // row of W = output column
            int p = row / panelWidth;
            int j = row % panelWidth;
            int dst = p * k * panelWidth + j;
            int src = row * k;
            for (int kk = 0; kk < k; kk++) {
                panels.putFloat(4 * (dst + kk * panelWidth), w[src + kk]);
            }
        }
        return new PackedMatrix(n, k, panelWidth, panels, paddedBias(b, n, panelCount * panelWidth));
    }

    /**
     * Wraps panels already laid out as above (e.g. by libtorch: W padded to panelCount·w rows,
     * viewed [panelCount, w, k], transposed to [panelCount, k, w], made contiguous). The buffer
     * must stay valid as long as this matrix is used.
     */
    public static PackedMatrix ofPanels(ByteBuffer panels, float[] b, int n, int k, int panelWidth) {
        int panelCount = (n + panelWidth - 1) / panelWidth;
        checkSize(panelCount, k, panelWidth);
        long want = 4L * panelCount * k * panelWidth;
        if (!panels.isDirect() || panels.capacity() != want) {
            throw new IllegalArgumentException("panels buffer has " + panels.capacity() + " bytes"
                    + (panels.isDirect() ? "" : " on the heap") + ", expected a direct buffer of " + want);
        }
        return new PackedMatrix(n, k, panelWidth, panels, paddedBias(b, n, panelCount * panelWidth));
    }

    /** Whether an [n, k] matrix fits in one buffer (byte offsets are ints). */
    public static boolean fits(long n, long k, int panelWidth) {
        long panelCount = (n + panelWidth - 1) / panelWidth;
        return 4 * panelCount * panelWidth * k <= Integer.MAX_VALUE - 64;
    }

    private static void checkSize(long panelCount, long k, int panelWidth) {
        if (!fits(panelCount * panelWidth, k, panelWidth)) {
            throw new IllegalArgumentException("matrix " + panelCount * panelWidth + " x " + k + " is too large to pack into one buffer");
        }
    }

    private static float[] paddedBias(float[] b, int n, int padded) {
        if (b != null && b.length != n) {
            throw new IllegalArgumentException("bias has " + b.length + " values, expected " + n);
        }
        float[] bias = new float[padded];
        if (b != null) {
            System.arraycopy(b, 0, bias, 0, n);
        }
        return bias;
    }

    public int rows() {
        return n;
    }

    public int cols() {
        return k;
    }

    /** Bytes of the packed copy (panels + bias). */
    public long bytes() {
        return panels.capacity() + 4L * bias.length;
    }
}
