package org.biogpt.spark.core.kernel;

/**
 * A linear layer's weight W [n, k] (as stored, [out, in]) and bias b [n], re-laid once into
 * column panels for {@link VectorKernel}: panel p holds output columns p·w .. p·w + w − 1
 * (w = {@link #panelWidth}) for every k, contiguous:
 *
 * <pre>
 *   panels[(p · k + kk) · w + j] = W[p · w + j, kk]       (0 where p · w + j ≥ n)
 *   bias[p · w + j]              = b[p · w + j]            (0 where missing or padded)
 * </pre>
 *
 * So for each kk one panel row is w contiguous floats: two vector loads feed a whole row of
 * FMAs without any reduction. n is padded up to a multiple of w (vocab 42384 → 42400 at w 32).
 * Plain Java: no vector class is touched here.
 */
public final class PackedMatrix {
    final int n;            // output columns (rows of W)
    final int k;            // input columns
    final int panelWidth;   // w
    final int panelCount;   // ceil(n / w)
    final float[] panels;   // [panelCount, k, w]
    final float[] bias;     // [panelCount · w]

    private PackedMatrix(int n, int k, int panelWidth, float[] panels, float[] bias) {
        this.n = n;
        this.k = k;
        this.panelWidth = panelWidth;
        this.panelCount = (n + panelWidth - 1) / panelWidth;
        this.panels = panels;
        this.bias = bias;
    }

    /**
     * @param w    W row-major, [n, k]
     * @param b    bias [n], or null for none
     */
    public static PackedMatrix pack(float[] w, float[] b, int n, int k, int panelWidth) {
        if (w.length != (long) n * k) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + n + " x " + k);
        }
        if (b != null && b.length != n) {
            throw new IllegalArgumentException("bias has " + b.length + " values, expected " + n);
        }
        int panelCount = (n + panelWidth - 1) / panelWidth;
        long size = (long) panelCount * k * panelWidth;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + n + " x " + k + " is too large to pack into one array");
        }
        float[] panels = new float[(int) size];
        for (int row = 0; row < n; row++) {          // row of W = output column
            int p = row / panelWidth;
            int j = row % panelWidth;
            int dst = p * k * panelWidth + j;
            int src = row * k;
            for (int kk = 0; kk < k; kk++) {
                panels[dst + kk * panelWidth] = w[src + kk];
            }
        }
        float[] bias = new float[panelCount * panelWidth];
        if (b != null) {
            System.arraycopy(b, 0, bias, 0, n);
        }
        return new PackedMatrix(n, k, panelWidth, panels, bias);
    }

    public int rows() {
        return n;
    }

    public int cols() {
        return k;
    }

    /** Bytes of the packed copy (panels + bias). */
    public long bytes() {
        return 4L * (panels.length + bias.length);
    }

    /** Bytes {@link #pack} would allocate for an [n, k] matrix. */
    public static long bytesFor(int n, int k, int panelWidth) {
        long panelCount = (n + panelWidth - 1) / panelWidth;
        return 4L * panelCount * panelWidth * (k + 1L);
    }
}
