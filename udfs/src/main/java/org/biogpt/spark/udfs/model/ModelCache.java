package org.biogpt.spark.udfs.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.udfs.device.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per (spec, device) per JVM, shared by every task thread of an executor.
 *
 * <p>The cache is static on purpose: a partition function is deserialized into each task, so any
 * instance field (djl-spark's {@code @transient} model) reloads the weights per task. Concurrent
 * first use loads once: the first caller loads under the entry's lock, the others wait for it.
 * A failed load is not remembered, so a retried task tries again; its error names the path.
 */
public final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<Key, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final Map<ModelSpec, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private record Key(ModelSpec spec, Device device) {
    }

    private ModelCache() {
    }

    /** The model of a spec on a device, loading it if this JVM has not yet. */
    public static ModelLease acquire(ModelSpec spec, Device device) {
        Key key = new Key(spec, device);
        Entry entry = ENTRIES.computeIfAbsent(key, k -> new Entry());
        try {
            return entry.get(key);
        } catch (RuntimeException | Error e) {
            ENTRIES.remove(key, entry);
            throw e;
        }
    }

    /** Successful loads of a spec in this JVM, on any device (for tests and metrics). */
    public static int loadCount(ModelSpec spec) {
        AtomicInteger n = LOADS.get(spec);
        return n == null ? 0 : n.get();
    }

    /** Whether this JVM holds a loaded model for the spec. */
    public static boolean isLoaded(ModelSpec spec) {
        return ENTRIES.entrySet().stream().anyMatch(e -> e.getKey().spec().equals(spec) && e.getValue().model != null);
    }

    private static final class Entry {
        private volatile BioGptModel model;

        ModelLease get(Key key) {
            BioGptModel m = model;
            if (m != null) {
                return new ModelLease(m, false, 0);
            }
            synchronized (this) {
                if (model != null) {
                    return new ModelLease(model, false, 0);
                }
                long start = System.nanoTime();
                model = load(key);
                long millis = (System.nanoTime() - start) / 1_000_000;
                LOADS.computeIfAbsent(key.spec(), s -> new AtomicInteger()).incrementAndGet();
                LOG.info("loaded BioGPT model {} on {} in {} ms", key.spec().path(), key.device(), millis);
                return new ModelLease(model, true, millis);
            }
        }
    }

    private static BioGptModel load(Key key) {
        String path = key.spec().path();
        Path dir;
        try {
            dir = ModelPaths.localise(path);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot resolve BioGPT model path '" + path + "': " + e.getMessage(), e);
        }
        try {
            // The device joins the cache key: one model per (checkpoint, device) per JVM.
            return BioGptModel.load(dir, key.spec().options().withPlacement(key.device().placement(GpuDtype.configured())));
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot load BioGPT model from '" + path + "' (local directory " + dir
                    + "): " + e.getMessage(), e);
        }
    }
}
