package org.biogpt.spark.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.biogpt.spark.core.checkpoint.Float16;

/**
 * A linear layer's weight W [n, k] (as stored, [out, in]) and bias b [n], re-laid into column
 * panels for {@link VectorKernel}: panel p holds output columns p·w .. p·w + w − 1
 * (w = {@link #panelWidth}) for every k, contiguous:
 *
 * <pre>
 *   panels[BASE + (p · k + kk) · w + j] = W[p · w + j, kk]       (0 where p · w + j ≥ n)
 *   bias[p · w + j]              = b[p · w + j]            (0 where missing or padded)
 * </pre>
 *
 * So for each kk one panel row is w contiguous floats: two vector loads feed a whole row of
 * FMAs without any reduction. n is padded up to a multiple of w (vocab 42384 → 42400 at w 32).
 *
 * <p>The panels are a float array on the Java heap, not native memory: on Java 17 the Vector
 * API's loads from a direct ByteBuffer cost many scalar instructions each (address, bounds and
 * scope checks), against one or two for an array, and at 16–32 rows, where the kernel is
 * compute-bound, that made the matmuls measurably slower (docs/PERFORMANCE.md). So a model's packed copy counts against
 * -Xmx (the model checks that it fits before packing). The model packs W straight from libtorch's
 * memory ({@link #ofRowBlocks}); {@link #pack} does it from a Java array for tests and benchmarks. Plain Java: no vector class is touched here.
 *
 * <p>The panels start {@link #BASE} floats into the array so that they sit on 64-byte lines: a
 * model's matrices are G1 humongous objects, which start on a region boundary (and never move),
 * with the data after a 16-byte header. Unaligned, every 64-byte vector load spans two cache
 * lines, and the matmuls ran slower. Smaller arrays get no such guarantee; only speed
 * depends on it.
 *
 * <p>In {@link DecodeWeights#BF16} the panels are an int array instead, half the bytes: each panel
 * row is w/2 ints, int j holding W[p · w + j, kk] as bfloat16 in its low 16 bits and
 * W[p · w + w/2 + j, kk] in its high 16 bits:
 *
 * <pre>
 *   pairs[BASE + (p · k + kk) · w/2 + j] = bf16(W[p · w + j, kk]) | bf16(W[p · w + w/2 + j, kk]) &lt;&lt; 16
 * </pre>
 *
 * One int vector load of a row then gives both float vectors with one shift and one mask
 * ({@link VectorKernelBf16}): a bfloat16 is the high half of the float32 it stands for. Rounding is
 * to nearest even, a NaN stays a NaN ({@link Float16#floatToBf16}); the bias stays float32.
 */
public final class PackedMatrix {
    final int n;            // output columns (rows of W)
    final int k;            // input columns
    final int panelWidth;   // w
    final int panelCount;   // ceil(n / w)
    /** Floats (or ints) before the first panel: HotSpot's 16-byte array header + 48 bytes = one cache line. */
    static final int BASE = 12;
    /** Fewest floats one thread unpacks at a time ({@link #unpack}). */
    private static final int UNPACK_CHUNK = 1 << 16;

    final DecodeWeights format;
    final float[] panels;   // FP32: BASE floats, then [panelCount, k, w]; null in BF16
    final int[] pairs;      // BF16: BASE ints, then [panelCount, k, w / 2]; null in FP32
    final float[] bias;     // [panelCount · w]
    final int[] streamOrder;   // [k]: the kernel's first-pass row order ({@link PanelWalk})

    private PackedMatrix(int n, int k, int panelWidth, float[] panels, int[] pairs, float[] bias) {
        this.n = n;
        this.k = k;
        this.panelWidth = panelWidth;
        this.panelCount = (n + panelWidth - 1) / panelWidth;
        this.format = panels != null ? DecodeWeights.FP32 : DecodeWeights.BF16;
        this.panels = panels;
        this.pairs = pairs;
        this.bias = bias;
        this.streamOrder = PanelWalk.interleaved(k);
    }

    /**
     * Packs in Java, in float32.
     *
     * @param w    W row-major, [n, k]
     * @param b    bias [n], or null for none
     */
    public static PackedMatrix pack(float[] w, float[] b, int n, int k, int panelWidth) {
        return pack(w, b, n, k, panelWidth, DecodeWeights.FP32);
    }

    /**
     * Packs in Java.
     *
     * @param w    W row-major, [n, k]
     * @param b    bias [n], or null for none
     */
    public static PackedMatrix pack(float[] w, float[] b, int n, int k, int panelWidth, DecodeWeights format) {
        if (w.length != (long) n * k) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + n + " x " + k);
        }
        int panelCount = (n + panelWidth - 1) / panelWidth;
        checkSize(panelCount, k, panelWidth);
        Panels out = new Panels(format, panelCount, k, panelWidth);
        float[] row = new float[k];
        for (int r = 0; r < n; r++) {          // row of W = output column
            System.arraycopy(w, r * k, row, 0, k);
            out.putRow(r, row);
        }
        return new PackedMatrix(n, k, panelWidth, out.floats, out.pairs, paddedBias(b, n, panelCount * panelWidth));
    }

    /**
     * Packs W read straight from native memory, the panels split over the kernel's threads: no
     * re-laid intermediate copy in libtorch. W is given as row-major blocks stacked vertically
     * ([q; k; v] packs as one fused matrix), each [rows_i, k] native-order floats; the buffers are
     * only read here.
     *
     * @param bias [n] for all blocks together, or null
     */
    public static PackedMatrix ofRowBlocks(ByteBuffer[] blocks, float[] bias, int k, int panelWidth, SmallMatmul threads) {
        return ofRowBlocks(blocks, bias, k, panelWidth, DecodeWeights.FP32, threads);
    }

    /** As {@link #ofRowBlocks(ByteBuffer[], float[], int, int, SmallMatmul)}, packed in {@code format}. */
    public static PackedMatrix ofRowBlocks(ByteBuffer[] blocks, float[] bias, int k, int panelWidth, DecodeWeights format,
                                           SmallMatmul threads) {
        FloatBuffer[] rows = new FloatBuffer[blocks.length];
        int[] firstRow = new int[blocks.length + 1];
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i].capacity() % (4L * k) != 0) {
                throw new IllegalArgumentException("block " + i + " has " + blocks[i].capacity() + " bytes, not whole rows of " + k + " floats");
            }
            rows[i] = blocks[i].duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
            firstRow[i + 1] = firstRow[i] + blocks[i].capacity() / (4 * k);
        }
        int n = firstRow[blocks.length];
        int panelCount = (n + panelWidth - 1) / panelWidth;
        checkSize(panelCount, k, panelWidth);
        Panels out = new Panels(format, panelCount, k, panelWidth);
        // Split by panels: the two rows that share a BF16 int are in one panel, so on one thread.
        threads.parallel(panelCount, 8, (p0, p1) -> {
            float[] row = new float[k];
            int block = 0;
            for (int r = p0 * panelWidth; r < Math.min(n, p1 * panelWidth); r++) {
                while (r >= firstRow[block + 1]) {
                    block++;
                }
                rows[block].get((r - firstRow[block]) * k, row, 0, k);
                out.putRow(r, row);
            }
        });
        return new PackedMatrix(n, k, panelWidth, out.floats, out.pairs, paddedBias(bias, n, panelCount * panelWidth));
    }

    /**
     * This matrix in {@code format}: itself when it is in it already, else the same panels
     * narrowed from float32 (as {@link #ofRowBlocks} would pack W in that format), split over the
     * kernel's threads. So a model whose float32 packed copy is its only copy of W can still get a
     * bf16 one. Only from float32: a bf16 copy has lost the bits.
     */
    public PackedMatrix to(DecodeWeights target, SmallMatmul threads) {
        if (target == format) {
            return this;
        }
        if (!exact()) {
            throw new IllegalStateException("a " + format.label() + " packed copy cannot be widened back to " + target.label());
        }
        Panels out = new Panels(target, panelCount, k, panelWidth);
        SmallMatmul.Range task = (p0, p1) -> {
            float[] column = new float[k];
            for (int r = p0 * panelWidth; r < Math.min(n, p1 * panelWidth); r++) {
                int src = BASE + (r / panelWidth) * k * panelWidth + r % panelWidth;
                for (int kk = 0; kk < k; kk++) {
                    column[kk] = panels[src + kk * panelWidth];
                }
                out.putRow(r, column);
            }
        };
        if (threads == null) {
            task.run(0, panelCount);
        } else {
            threads.parallel(panelCount, 8, task);      // by panels: a bf16 int's two rows stay on one thread
        }
        return new PackedMatrix(n, k, panelWidth, out.floats, out.pairs, bias.clone());
    }

    /** The panel array being filled, in either format; padded columns stay 0. */
    private static final class Panels {
        final float[] floats;
        final int[] pairs;
        final int k;
        final int width;

        Panels(DecodeWeights format, int panelCount, int k, int width) {
            this.k = k;
            this.width = width;
            if (format == DecodeWeights.BF16 && width % 2 != 0) {
                throw new IllegalArgumentException("bf16 panels need an even panel width, got " + width);
            }
            floats = format == DecodeWeights.FP32 ? new float[BASE + panelCount * k * width] : null;
            pairs = format == DecodeWeights.BF16 ? new int[BASE + panelCount * k * (width / 2)] : null;
        }

        /** Writes row r of W (output column r) into its panel. */
        void putRow(int r, float[] row) {
            int p = r / width;
            int j = r % width;
            if (floats != null) {
                int dst = BASE + p * k * width + j;
                for (int kk = 0; kk < k; kk++) {
                    floats[dst + kk * width] = row[kk];
                }
                return;
            }
            int half = width / 2;
            int dst = BASE + p * k * half + j % half;
            int shift = j < half ? 0 : 16;
            for (int kk = 0; kk < k; kk++) {
                pairs[dst + kk * half] |= (Float16.floatToBf16(row[kk]) & 0xffff) << shift;
            }
        }
    }

    /**
     * Writes rows [from, to) of W back as libtorch holds them: row-major [to − from, k], into
     * {@code dst} from index 0 (the same floats, bit for bit). For a model whose packed copy is its
     * only copy of W, so that libtorch can multiply by W again (prefill). The layout matters beyond
     * speed: libtorch's GEMM takes another code path for a transposed weight, whose sums can round
     * differently, so only W's own layout gives the same numbers as before the copy was released.
     * Each panel (w rows of W, stored k-major) is transposed a block of k at a time through a small
     * staging array; the panels are split over the kernel's threads (or all done on the calling
     * thread when {@code threads} is null).
     */
    public void unpack(int from, int to, FloatBuffer dst, SmallMatmul threads) {
        if (!exact()) {
            throw new IllegalStateException("only a float32 packed copy holds W exactly and can be unpacked");
        }
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a matrix of " + n);
        }
        if ((long) (to - from) * k > dst.capacity()) {
            throw new IllegalArgumentException("destination holds " + dst.capacity() + " floats, rows need " + (long) (to - from) * k);
        }
        int w = panelWidth;
        int p0 = from / w;
        int p1 = (to + w - 1) / w;
        int block = 256;
        SmallMatmul.Range task = (pa, pb) -> {
            float[] staging = new float[w * block];                  // [w][block]: rows of the panel, a block of k each
            for (int p = p0 + pa; p < p0 + pb; p++) {
                int j0 = Math.max(from, p * w) - p * w;              // the panel's rows inside [from, to)
                int j1 = Math.min(to, (p + 1) * w) - p * w;
                for (int k0 = 0; k0 < k; k0 += block) {
                    int len = Math.min(k, k0 + block) - k0;
                    int src = BASE + (p * k + k0) * w;
                    for (int kk = 0; kk < len; kk++, src += w) {
                        for (int j = j0; j < j1; j++) {
                            staging[j * block + kk] = panels[src + j];
                        }
                    }
                    for (int j = j0; j < j1; j++) {
                        dst.put((p * w + j - from) * k + k0, staging, j * block, len);
                    }
                }
            }
        };
        if (threads == null) {
            task.run(0, p1 - p0);
        } else {
            // Chunks of at least UNPACK_CHUNK floats: a small matrix is not worth waking a thread for.
            threads.parallel(p1 - p0, Math.max(1, UNPACK_CHUNK / (w * k)), task);
        }
    }

    /** Whether the panels hold W's float32 values exactly, so {@link #unpack} gives W back. */
    public boolean exact() {
        return panels != null;
    }

    /** Bytes an [n, k] matrix takes packed in float32 (panels and bias). */
    public static long packedBytes(long n, long k, int panelWidth) {
        return packedBytes(n, k, panelWidth, DecodeWeights.FP32);
    }

    /** Bytes an [n, k] matrix takes packed in {@code format} (panels and the float32 bias). */
    public static long packedBytes(long n, long k, int panelWidth, DecodeWeights format) {
        long padded = (n + panelWidth - 1) / panelWidth * panelWidth;
        return 4L * BASE + format.bytesPerWeight() * padded * k + 4 * padded;
    }

    /** Whether an [n, k] matrix fits in one buffer (byte offsets, as libtorch hands the panels over, are ints). */
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

    /** The number format of the panels. */
    public DecodeWeights format() {
        return format;
    }

    /** Bytes of the packed copy (panels + bias). */
    public long bytes() {
        return 4L * (panels != null ? panels.length : pairs.length) + 4L * bias.length;
    }
}
