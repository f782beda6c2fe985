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
 */
final class KvCache implements AutoCloseable {
    /** Room for this many more positions when a buffer is (re)allocated. */
    static final int HEADROOM = 64;

    private final NDManager manager;
    private final NDArray[] keys;       // [B, H, capacity, hd]
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
        keys[layer] = write(keys[layer], past, now, k);
        values[layer] = write(values[layer], past, now, v);
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
        long past = lengths[layer];
        long[] s = keys[layer].getShape().getShape();
        keys[layer] = grow(keys[layer], past, now, s[0], s[1], s[3], keys[layer].getDataType());
        values[layer] = grow(values[layer], past, now, s[0], s[1], s[3], values[layer].getDataType());
        lengths[layer] = now;
        closeViews(layer);
        return new ByteBuffer[] {
            Ops.memory(keys[layer]),
            Ops.memory(values[layer]),
        };
    }

    /** Writes positions [past, now) into the buffer, first growing it (keeping [0, past)) if needed. */
    private NDArray write(NDArray buffer, long past, long now, NDArray x) {
        long[] s = x.getShape().getShape();
        buffer = grow(buffer, past, now, s[0], s[1], s[3], x.getDataType());
        buffer.set(new NDIndex(":, :, {}:{}", past, now), x);
        return buffer;
    }

    /** The buffer if it holds {@code now} positions, else a larger one with positions [0, past) copied. */
    private NDArray grow(NDArray buffer, long past, long now, long rows, long heads, long headDim, DataType type) {
        if (buffer != null && buffer.getShape().get(2) >= now) {
            return buffer;
        }
        long capacity = Math.max(now + HEADROOM, buffer == null ? 0 : buffer.getShape().get(2) * 3 / 2);
        NDArray grown = manager.zeros(new Shape(rows, heads, capacity, headDim), type);   // on the model's device and type
        if (past > 0) {
            try (NDArray old = buffer.get(new NDIndex(":, :, :{}", past))) {
                grown.set(new NDIndex(":, :, :{}", past), old);
            }
        }
        if (buffer != null) {
            buffer.close();
        }
        return grown;
    }

    /** Keeps rows {@code index} of every layer, in that order (repeats allowed: beam expansion). */
    void select(long[] index) {
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
    }
}
