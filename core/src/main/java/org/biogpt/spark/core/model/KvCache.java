package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the positions already processed, [batch, heads, past, head_dim]
 * each, owned by one manager. Appending concatenates along the position axis (as fast as a
 * preallocated buffer at generation lengths, and simpler); the old arrays are closed at once.
 */
final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far. */
    long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /**
     * Adds this forward's keys and values ([B, H, T, hd]) of one layer; returns the full ones
     * ([B, H, past + T, hd]), which stay owned by the cache.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = join(keys[layer], k);
        values[layer] = join(values[layer], v);
        return new NDArray[] {keys[layer], values[layer]};
    }

    private NDArray join(NDArray past, NDArray now) {
        if (past == null) {
            now.attach(manager);
            return now;
        }
        NDArray all = past.concat(now, 2); // on past's manager, i.e. the cache's
        past.close();
        return all;
    }

    /** Keeps rows {@code index} of every layer, in that order (repeats allowed: beam expansion). */
    void select(long[] index) {
        try (NDArray idx = manager.create(index)) {
            for (int l = 0; l < keys.length; l++) {
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

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
            }
            keys[l] = null;
            values[l] = null;
        }
    }
}
