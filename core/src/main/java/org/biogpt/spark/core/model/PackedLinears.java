package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.kernel.PackedMatrix;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * The decode kernel's packed copies of one set of weights' linears, shared by every model built on
 * those weights, and after packing the only copy of the decoder layers' linears.
 *
 * <p>They are packed together the first time a decode step asks, in that model's
 * {@link ModelOptions#decodeWeights()} format, if they fit the heap ({@link HeapBudget}); a model on
 * the same weights asking another format gets its own copy (narrowed from the fp32 one if that
 * exists). In fp32
 * (the packed floats are exactly libtorch's) libtorch's copies of every decoder layer's q, k, v, out,
 * fc1 and fc2 weights are released: keeping both would hold the weights twice. From then on a
 * forward that multiplies on libtorch (prefill, scoring, decode steps wider than the kernel takes)
 * gets each weight re-laid from its packed copy (the same floats in libtorch's own layout, so its
 * GEMM computes exactly what it computed on its own copy) into a buffer reused by the calling
 * thread: one pass over the linears' weights per forward instead of a second resident copy. The
 * tied embedding / LM head stays in libtorch as well (token lookups and prefill's logits read it
 * there, decode steps' logits the packed copy).
 *
 * <p>Concurrency: a forward reading a libtorch weight holds the read lock while it multiplies, and
 * the release takes the write lock, so no forward reads a freed weight.
 */
final class PackedLinears implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PackedLinears.class.getName());
    /** Per thread, the buffer weights are re-laid into for libtorch (grown to the largest asked for). */
    private static final ThreadLocal<ByteBuffer> RELAID = new ThreadLocal<>();
    /** Byte alignment of each re-laid weight, as libtorch aligns its own allocations. */
    private static final int ALIGN = 64;

    /** W (by identity) → packed W + bias; each layer's fused [q; k; v] by its LayerWeights; all in one format. */
    private record Tables(DecodeWeights format, Map<NDArray, PackedMatrix> single, Map<LayerWeights, PackedMatrix> qkv) {
        static Tables none(DecodeWeights format) {
            return new Tables(format, Map.of(), Map.of());
        }
    }

    /** Where a released weight's values are now: rows [from, to) of a packed matrix. */
    private record Source(PackedMatrix matrix, int from, int to) {
    }

    private final BioGptWeights weights;
    private final ReadWriteLock libtorchUse = new ReentrantReadWriteLock();
    /** The packed copies made so far, by format (copied on write: read without a lock). */
    private volatile Map<DecodeWeights, Tables> tables = Map.of();
    /** Per format asked for: why its packed copies may not be made ("" when they may). Decided once each. */
    private final Map<DecodeWeights, String> refusals = new EnumMap<>(DecodeWeights.class);
    /** Released libtorch weight (by identity) → its rows in a packed copy; empty until the release. */
    private volatile Map<NDArray, Source> released = Map.of();
    private volatile long packingNanos;             // written under the lock

    PackedLinears(BioGptWeights weights) {
        this.weights = weights;
    }

    /**
     * The packed copy of one weight in {@code format}, packing everything first if {@code packer} is
     * given; null (MKL) otherwise, and for a format other than the one the weights were packed in.
     */
    PackedMatrix get(NDArray weight, SmallMatmul packer, DecodeWeights format) {
        return tables(packer, format).single().get(weight);
    }

    /** The layer's fused [q; k; v] packed copy (packing first if {@code packer} is given), or null. */
    PackedMatrix qkv(LayerWeights layer, SmallMatmul packer, DecodeWeights format) {
        return tables(packer, format).qkv().get(layer);
    }

    /** Whether libtorch's copies of the layers' linears were released (they live only in the packed copies). */
    boolean releasedLibtorchCopies() {
        return !released.isEmpty();
    }

    private Tables tables(SmallMatmul packer, DecodeWeights format) {
        Tables t = tables.get(format);
        if (t != null) {
            return t;
        }
        if (packer == null) {
            return Tables.none(format);                    // not packed yet, and this caller does not pack
        }
        synchronized (this) {
            t = tables.get(format);
            if (t != null) {
                return t;
            }
            if (refusal(format) != null) {
                return Tables.none(format);
            }
            long t0 = System.nanoTime();
            Tables exact = tables.get(DecodeWeights.FP32);
            // Once the fp32 copy exists libtorch's may be gone: another format is narrowed from it.
            Tables made = exact != null ? convert(exact, format, packer) : packAll(packer, format);
            Map<DecodeWeights, Tables> all = new EnumMap<>(DecodeWeights.class);
            all.putAll(tables);
            all.put(format, made);
            tables = Map.copyOf(all);
            packingNanos += System.nanoTime() - t0;
            return made;
        }
    }

    /** Every packed matrix of {@code from} in {@code format}. */
    private static Tables convert(Tables from, DecodeWeights format, SmallMatmul threads) {
        Map<NDArray, PackedMatrix> single = new IdentityHashMap<>();
        Map<LayerWeights, PackedMatrix> qkv = new IdentityHashMap<>();
        from.single().forEach((w, p) -> single.put(w, p.to(format, threads)));
        from.qkv().forEach((w, p) -> qkv.put(w, p.to(format, threads)));
        return new Tables(format, single, qkv);
    }

    /**
     * Null when the packed copies in {@code format} fit the heap (or exist); why not otherwise.
     * Decided once per format.
     */
    String refusal(DecodeWeights format) {
        if (tables.containsKey(format)) {
            return null;
        }
        synchronized (this) {
            String why = refusals.get(format);
            if (why == null) {
                String refused = HeapBudget.refusal(bytesToPack(format));
                if (refused != null) {
                    LOG.log(System.Logger.Level.WARNING, "decode steps stay on DJL/MKL, not the Vector API kernel: " + refused);
                }
                why = refused == null ? "" : refused;
                refusals.put(format, why);
            }
            return why.isEmpty() ? null : why;
        }
    }

    /** How long packing (and releasing libtorch's copies) took; 0 until packed. */
    long packingNanos() {
        return packingNanos;
    }

    /** Heap bytes of the packed copies (0 until packed). */
    long bytes() {
        long sum = 0;
        for (Tables t : tables.values()) {
            for (PackedMatrix p : t.single().values()) {
                sum += p.bytes();
            }
            for (PackedMatrix p : t.qkv().values()) {
                sum += p.bytes();
            }
        }
        return sum;
    }

    /**
     * y = x·Wᵀ + b on libtorch, W [out, in] read from libtorch's array, or re-laid from the packed
     * copy once libtorch's was released. The result lives on x's manager.
     *
     * @param threads the kernel's threads to re-lay on, or null (the calling thread alone)
     */
    NDArray linear(NDArray x, NDArray weight, NDArray bias, SmallMatmul threads) {
        Source s = released.get(weight);
        if (s == null) {
            libtorchUse.readLock().lock();
            try {
                s = released.get(weight);
                if (s == null) {
                    return Ops.linear(x, weight, bias);
                }
            } finally {
                libtorchUse.readLock().unlock();
            }
        }
        return relaidLinear(x, new Source[] {s}, new NDArray[] {bias}, threads)[0];
    }

    /**
     * q, k and v of one layer on libtorch, as three {@link #linear}s (once released, re-laid
     * together into one buffer).
     */
    NDArray[] qkvLinear(NDArray h, LayerWeights w, SmallMatmul threads) {
        NDArray[] ws = {w.qWeight(), w.kWeight(), w.vWeight()};
        NDArray[] bs = {w.qBias(), w.kBias(), w.vBias()};
        Source[] sources = new Source[3];
        for (int i = 0; i < 3; i++) {
            sources[i] = released.get(ws[i]);
        }
        if (sources[0] == null || sources[1] == null || sources[2] == null) {
            NDArray[] out = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                out[i] = linear(h, ws[i], bs[i], threads);
            }
            return out;
        }
        return relaidLinear(h, sources, bs, threads);
    }

    /**
     * x·Wᵢᵀ + bᵢ for each source, its weight re-laid in libtorch's own layout (so that libtorch
     * multiplies exactly as it did on its own copy) into this thread's buffer, one after another.
     */
    private static NDArray[] relaidLinear(NDArray x, Source[] sources, NDArray[] biases, SmallMatmul threads) {
        long bytes = 0;
        for (Source s : sources) {
            bytes += aligned(4L * (s.to() - s.from()) * s.matrix().cols());
        }
        ByteBuffer buf = RELAID.get();
        if (buf == null || buf.capacity() < bytes) {
            // Aligned like libtorch's own allocations (MKL's code path may depend on alignment).
            buf = ByteBuffer.allocateDirect(Math.toIntExact(bytes + ALIGN)).alignedSlice(ALIGN).order(ByteOrder.nativeOrder());
            RELAID.set(buf);
        }
        NDArray[] out = new NDArray[sources.length];
        int at = 0;
        for (int i = 0; i < sources.length; i++) {
            Source s = sources[i];
            int rows = s.to() - s.from();
            int k = s.matrix().cols();
            ByteBuffer view = buf.slice(at, 4 * rows * k).order(ByteOrder.nativeOrder());
            s.matrix().unpack(s.from(), s.to(), view.asFloatBuffer(), threads);
            try (NDArray w = x.getManager().create(view, new Shape(rows, k), DataType.FLOAT32)) {       // W [out, in]
                out[i] = Ops.linear(x, w, biases[i]);
            }
            at += (int) aligned(4L * rows * k);
        }
        return out;
    }

    private static long aligned(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    /**
     * Frees libtorch's copy of one decoder layer's linears once they have exact (float32) packed
     * copies, right after that layer is packed: a rounded copy (bf16) is no substitute for
     * prefill's, and releasing layer by layer keeps packing from ever holding two copies of the
     * whole model (a model that fits the memory once would not fit it twice while packing). Shape
     * and type stay readable on the closed arrays (DJL keeps them once read).
     */
    private void releaseLayer(int layer, PackedMatrix qkv, Map<NDArray, PackedMatrix> single) {
        LayerWeights w = weights.layers().get(layer);
        Map<NDArray, Source> sources = new IdentityHashMap<>();
        if (qkv != null && qkv.exact()) {
            int at = 0;
            for (NDArray a : new NDArray[] {w.qWeight(), w.kWeight(), w.vWeight()}) {
                int rows = (int) a.getShape().get(0);
                sources.put(a, new Source(qkv, at, at + rows));
                at += rows;
            }
        }
        for (NDArray a : new NDArray[] {w.outWeight(), w.fc1Weight(), w.fc2Weight()}) {
            PackedMatrix p = single.get(a);
            if (p != null && p.exact()) {
                sources.put(a, new Source(p, 0, p.rows()));
            }
        }
        if (sources.isEmpty()) {
            return;
        }
        NDArray block = weights.linearBlock(layer);
        libtorchUse.writeLock().lock();
        try {
            Map<NDArray, Source> all = new IdentityHashMap<>(released);
            all.putAll(sources);
            released = all;
            for (NDArray a : sources.keySet()) {
                a.getShape();
                a.getDataType();
                a.close();
            }
            if (block != null && sources.size() == 6) {
                block.close();                     // all six views released: their allocation goes too
            }
        } finally {
            libtorchUse.writeLock().unlock();
        }
    }

    /** Heap bytes {@link #packAll} will take. */
    private long bytesToPack(DecodeWeights format) {
        long sum = packedBytes(weights.lmHead(), 0, format);
        for (LayerWeights w : weights.layers()) {
            sum += packedBytes(w.qWeight(), w.kWeight().getShape().get(0) + w.vWeight().getShape().get(0), format);
            sum += packedBytes(w.outWeight(), 0, format) + packedBytes(w.fc1Weight(), 0, format) + packedBytes(w.fc2Weight(), 0, format);
        }
        return sum;
    }

    /** Bytes of W packed with {@code extraRows} more rows fused below it; 0 where it is not packed. */
    private static long packedBytes(NDArray w, long extraRows, DecodeWeights format) {
        long[] s = w.getShape().getShape();
        return packable(w.getDataType(), s[0] + extraRows, s[1])
                ? PackedMatrix.packedBytes(s[0] + extraRows, s[1], SmallMatmul.panelWidth(), format) : 0;
    }

    private static boolean packable(DataType type, long n, long k) {
        return type == DataType.FLOAT32 && PackedMatrix.fits(n, k, SmallMatmul.panelWidth());
    }

    /**
     * Every layer's q, k and v fused into one [3d, d] matrix (one call and one long memory
     * stream per layer instead of three), out, fc1, fc2 and the LM head. Read straight from
     * libtorch's memory by the kernel's threads; each layer's libtorch copy is released as soon as
     * the layer is packed ({@link #releaseLayer}).
     */
    private Tables packAll(SmallMatmul kernel, DecodeWeights format) {
        Map<NDArray, PackedMatrix> single = new IdentityHashMap<>();
        Map<LayerWeights, PackedMatrix> qkv = new IdentityHashMap<>();
        for (int l = 0; l < weights.layers().size(); l++) {
            LayerWeights w = weights.layers().get(l);
            NDArray[] ws = {w.qWeight(), w.kWeight(), w.vWeight()};
            NDArray[] bs = {w.qBias(), w.kBias(), w.vBias()};
            PackedMatrix p = pack(ws, concat(ws, bs), kernel, format);
            if (p != null) {
                qkv.put(w, p);
            }
            for (NDArray[] pair : new NDArray[][] {{w.outWeight(), w.outBias()}, {w.fc1Weight(), w.fc1Bias()}, {w.fc2Weight(), w.fc2Bias()}}) {
                p = pack(new NDArray[] {pair[0]}, floats(pair[1]), kernel, format);
                if (p != null) {
                    single.put(pair[0], p);
                }
            }
            releaseLayer(l, qkv.get(w), single);
        }
        PackedMatrix lm = pack(new NDArray[] {weights.lmHead()}, null, kernel, format);
        if (lm != null) {
            single.put(weights.lmHead(), lm);
        }
        return new Tables(format, single, qkv);
    }

    /** W = the blocks stacked (F32, small enough for int offsets) packed onto the heap; null (MKL) otherwise. */
    private static PackedMatrix pack(NDArray[] blocks, float[] bias, SmallMatmul kernel, DecodeWeights format) {
        long n = 0;
        long k = blocks[0].getShape().get(1);
        ByteBuffer[] memory = new ByteBuffer[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            long[] s = blocks[i].getShape().getShape();
            if (blocks[i].getDataType() != DataType.FLOAT32 || s[1] != k) {
                return null;
            }
            n += s[0];
            memory[i] = Ops.memory(blocks[i]);
        }
        if (!packable(DataType.FLOAT32, n, k)) {
            return null;
        }
        return PackedMatrix.ofRowBlocks(memory, bias, (int) k, SmallMatmul.panelWidth(), format, kernel);
    }

    private static float[] floats(NDArray a) {
        return a == null ? null : a.toFloatArray();
    }

    /** The biases end to end; missing ones are zeros of their weight's height. */
    private static float[] concat(NDArray[] weights, NDArray[] biases) {
        int n = 0;
        for (NDArray w : weights) {
            n += (int) w.getShape().get(0);
        }
        float[] out = new float[n];
        int at = 0;
        for (int i = 0; i < weights.length; i++) {
            int h = (int) weights[i].getShape().get(0);
            if (biases[i] != null) {
                System.arraycopy(biases[i].toFloatArray(), 0, out, at, h);
            }
            at += h;
        }
        return out;
    }

    @Override
    public synchronized void close() {
        tables = Map.of();
        released = Map.of();
    }
}
