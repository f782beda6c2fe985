package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Keys and values of every layer for the positions already processed, [batch, heads, past, head_dim]
 * each, in buffers with room for more positions, owned by one manager.
 *
 * <p>Why buffers rather than a concatenation per step: a concatenation allocates the whole cache
 * afresh at every step, and libtorch maps allocations of this size straight from the OS, so each
 * step paid page faults on all of it (a sizeable share of a step: docs/PERFORMANCE.md). A buffer is written in place and grows by half when full.
 * All layers' buffers are views of one allocation ({@link #ensure} says why).
 */
final class KvCache implements AutoCloseable {
    /** Room for this many more positions when a buffer is (re)allocated. */
    static final int HEADROOM = 64;

    private final NDManager manager;
    private NDArray block;              // [layers, 2, rows, H, capacity, hd]: every layer's keys and values
    private final NDArray[] keys;       // [B, H, capacity, hd], views of the block (B ≤ its rows)
    private final NDArray[] values;
    private final NDArray[] keyViews;   // [B, H, length, hd] views handed out by the last append
    private final NDArray[] valueViews;
    private final long[] lengths;

    KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.keyViews = new NDArray[layers];
        this.valueViews = new NDArray[layers];
        this.lengths = new long[layers];
    }

    /** Positions cached so far. */
    long length() {
        return lengths[0];
    }

    /** Positions the layer's buffers hold without growing. */
    long capacity(int layer) {
        return keys[layer] == null ? 0 : keys[layer].getShape().get(2);
    }

    /**
     * Adds this forward's keys and values ([B, H, T, hd]) of one layer; returns views of the full
     * ones ([B, H, past + T, hd]), owned by the cache and valid until its next change.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        long past = lengths[layer];
        long now = past + k.getShape().get(2);
        long[] s = k.getShape().getShape();
        ensure(now, s[0], s[1], s[3], k.getDataType());
        NDIndex fresh = new NDIndex(":, :, {}:{}", past, now);
        keys[layer].set(fresh, k);
        values[layer].set(fresh, v);
        lengths[layer] = now;
        closeViews(layer);
        NDIndex used = new NDIndex(":, :, :{}", now);
        keyViews[layer] = keys[layer].get(used);
        valueViews[layer] = values[layer].get(used);
        return new NDArray[] {keyViews[layer], valueViews[layer]};
    }

    /**
     * For a decode step computed outside libtorch: makes room for positions up to {@code now},
     * records that length and returns the memory of the key and value buffers,
     * [B, H, {@link #capacity(int)}, hd] native-order floats, valid until the cache next changes.
     * The caller writes positions [past, now) into them.
     */
    ByteBuffer[] extendInPlace(int layer, long now) {
        long[] s = keys[layer].getShape().getShape();
        ensure(now, s[0], s[1], s[3], keys[layer].getDataType());
        lengths[layer] = now;
        closeViews(layer);
        return new ByteBuffer[] {
            Ops.memory(keys[layer]),
            Ops.memory(values[layer]),
        };
    }

    /**
     * Makes every layer's buffers hold {@code now} positions: if they do not, all layers grow
     * together into one new allocation, each keeping the positions it holds.
     * One allocation for all layers rather than one per layer: it is larger than glibc's largest
     * mmap threshold, so it is mapped apart from the malloc arenas and given back to the OS when
     * the cache closes; per-layer buffers, below that threshold, stayed resident in the arenas after
     * the batch was done.
     */
    private void ensure(long now, long rows, long heads, long headDim, DataType type) {
        long held = keys[0] == null ? 0 : keys[0].getShape().get(2);
        if (held >= now) {
            return;
        }
        long capacity = Math.max(now + HEADROOM, held * 3 / 2);
        NDArray grown = manager.zeros(new Shape(keys.length, 2, rows, heads, capacity, headDim), type);   // on the model's device and type
        for (int l = 0; l < keys.length; l++) {
            NDArray k = grown.get(new NDIndex("{}, 0", l));
            NDArray v = grown.get(new NDIndex("{}, 1", l));
            if (lengths[l] > 0) {
                NDIndex kept = new NDIndex(":, :, :{}", lengths[l]);
                try (NDArray oldK = keys[l].get(kept); NDArray oldV = values[l].get(kept)) {
                    k.set(kept, oldK);
                    v.set(kept, oldV);
                }
            }
            closeViews(l);
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
            }
            keys[l] = k;
            values[l] = v;
        }
        if (block != null) {
            block.close();
        }
        block = grown;
    }

    /**
     * Forgets the positions from {@code length} on, keeping the buffers: a scored continuation is
     * dropped this way and the next append writes over it.
     */
    void truncate(long length) {
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            lengths[l] = Math.min(lengths[l], length);
        }
    }

    /** Keeps rows {@code index} of every layer, in that order (repeats allowed: beam expansion). */
    void select(long[] index) {
        if (block != null && keepsOrder(index)) {
            compact(index);
            return;
        }
        if (block != null) {
            // Gathered into arrays of their own (beam search); the block goes once no view is left.
            closeBlockAfter(index);
            return;
        }
        gather(index);
    }

    /** Whether the rows only drop out, the others keeping their order (greedy search's finished rows). */
    private static boolean keepsOrder(long[] index) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < i || (i > 0 && index[i] <= index[i - 1])) {
                return false;
            }
        }
        return true;
    }

    /** Moves the kept rows to the front of the block, in place, and narrows every layer's view to them. */
    private void compact(long[] index) {
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            for (NDArray kv : new NDArray[] {keys[l], values[l]}) {
                for (int i = 0; i < index.length; i++) {
                    if (index[i] != i) {
                        try (NDArray row = kv.get(index[i])) {
                            kv.set(new NDIndex("{}", i), row);
                        }
                    }
                }
            }
            keys[l].close();
            values[l].close();
            keys[l] = block.get(new NDIndex("{}, 0, :{}", l, index.length));
            values[l] = block.get(new NDIndex("{}, 1, :{}", l, index.length));
        }
    }

    private void closeBlockAfter(long[] index) {
        gather(index);
        block.close();
        block = null;
    }

    private void gather(long[] index) {
        try (NDArray idx = manager.create(index)) {
            for (int l = 0; l < keys.length; l++) {
                closeViews(l);
                keys[l] = selectRows(idx, keys[l]);
                values[l] = selectRows(idx, values[l]);
            }
        }
    }

    private static NDArray selectRows(NDArray idx, NDArray kv) {
        if (kv == null) {
            return null;
        }
        long[] s = kv.getShape().getShape();
        try (NDArray flat = kv.reshape(s[0], -1)) {
            NDArray picked = Ops.rows(idx, flat);
            NDArray out = picked.reshape(idx.getShape().get(0), s[1], s[2], s[3]);
            if (out != picked) {
                picked.close();
            }
            kv.close();
            return out;
        }
    }

    private void closeViews(int layer) {
        if (keyViews[layer] != null) {
            keyViews[layer].close();
            valueViews[layer].close();
            keyViews[layer] = null;
            valueViews[layer] = null;
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
            }
            keys[l] = null;
            values[l] = null;
            lengths[l] = 0;
        }
        if (block != null) {
            block.close();
            block = null;
        }
    }
}
