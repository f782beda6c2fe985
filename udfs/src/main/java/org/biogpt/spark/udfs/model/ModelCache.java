package org.biogpt.spark.udfs.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.device.DeviceSelector;
import org.biogpt.spark.udfs.metrics.StageMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per (checkpoint, device, decode-weight format) per JVM, shared by every task thread
 * of an executor.
 * A local checkpoint is known by the canonical path of its directory, so every spelling of one
 * checkpoint ({@code /m}, {@code /x/../m/}, {@code file:///m}, a link to it) shares one copy of the
 * weights. A remote one ({@code hdfs:}, {@code s3a:}, ...) is fetched once per qualified, normalised
 * path ({@link ModelPaths#copyViaHadoop}) and known by the content identity of the fetched bytes
 * ({@link FetchedCheckpoint}): the same checkpoint under two spellings or two locations is one model, and a
 * checkpoint that differs in any byte is another. How a call runs it (length policy, intra-op threads)
 * is not part of the key but of the call.
 *
 * <p>The decode-weight format is part of the key rather than a per-call choice over one model: it is
 * fixed when a model packs its decode weights (once, at its first decode step, then held for its
 * life), so a bf16 caller must never get a model packed in fp32 or the other way round. Keying keeps
 * each model's packed copy in one format and the format out of every call path; the cost is a
 * second load of the checkpoint in the rare JVM whose callers ask for both formats.
 *
 * <p>The cache is static on purpose: a partition function is deserialized into each task, so any
 * instance field (djl-spark's {@code @transient} model) reloads the weights per task. Concurrent
 * first use loads once: the first caller loads under the entry's lock, the others wait for it.
 * A failed load is not remembered, so a retried task tries again; its error names the path.
 */
public final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<Key, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    /**
     * @param checkpoint the checkpoint's identity: canonical local path, or content identity of a fetched copy
     * @param local      the local checkpoint directory (or fairseq {@code .pt} file) to load
     * @param path       the path as the first caller spelled it (for messages)
     */
    private record Key(String checkpoint, Path local, String path, Device device, DecodeWeights decodeWeights) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.checkpoint.equals(checkpoint) && k.device.equals(device)
                    && k.decodeWeights == decodeWeights;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * checkpoint.hashCode() + device.hashCode()) + decodeWeights.hashCode();
        }
    }

    private ModelCache() {
    }

    /** The model of a spec on a device, loading it if this JVM has not yet. */
    public static ModelLease acquire(ModelSpec spec, Device device) {
        Key key = key(spec.path(), device, spec.decodeWeights());
        Entry entry = ENTRIES.computeIfAbsent(key, k -> new Entry());
        try {
            return entry.get(key);
        } catch (RuntimeException | Error e) {
            ENTRIES.remove(key, entry);
            throw e;
        }
    }

    /**
     * A model supplier for core's runner: the spec's model on the calling task's device, its load time
     * added to the stage's accumulators when this call loaded it.
     *
     * @param metrics the stage's accumulators, or null
     */
    public static Supplier<BioGptModel> supplier(ModelSpec spec, StageMetrics metrics) {
        return () -> {
            ModelLease lease = acquire(spec, DeviceSelector.forCurrentTask(spec.device()));
            if (lease.loadedByThisCall() && metrics != null) {
                metrics.addModelLoadMillis(lease.loadMillis());
            }
            return lease.model();
        };
    }

    /** Successful loads of a spec's checkpoint in this JVM, on any device (for tests and metrics). */
    public static int loadCount(ModelSpec spec) {
        String checkpoint = checkpointOrNull(spec.path());
        AtomicInteger n = checkpoint == null ? null : LOADS.get(checkpoint);
        return n == null ? 0 : n.get();
    }

    /** Whether this JVM holds a loaded model of the spec's checkpoint. */
    public static boolean isLoaded(ModelSpec spec) {
        String checkpoint = checkpointOrNull(spec.path());
        return ENTRIES.entrySet().stream()
                .anyMatch(e -> e.getKey().checkpoint().equals(checkpoint) && e.getValue().model != null);
    }

    /** The identity of a checkpoint this JVM already knows, without fetching a remote one; else null. */
    private static String checkpointOrNull(String path) {
        try {
            if (ModelPaths.isRemote(path)) {
                FetchedCheckpoint fetched = ModelPaths.fetchedOrNull(path);
                return fetched == null ? null : fetched.contentId();
            }
            return checkpoint(path, localDirectory(path));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Key key(String path, Device device, DecodeWeights format) {
        if (ModelPaths.isRemote(path)) {
            FetchedCheckpoint fetched = fetch(path);
            return new Key(fetched.contentId(), fetched.local(), path, device, format);
        }
        String checkpoint = checkpoint(path, localDirectory(path));
        return new Key(checkpoint, Path.of(checkpoint), path, device, format);
    }

    private static FetchedCheckpoint fetch(String path) {
        try {
            return ModelPaths.fetch(path);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot resolve BioGPT model path '" + path + "': " + e.getMessage(), e);
        }
    }

    /** The checkpoint's local directory: a local path, or a name shipped with --files/--archives. */
    private static Path localDirectory(String path) {
        try {
            return ModelPaths.localise(path);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot resolve BioGPT model path '" + path + "': " + e.getMessage(), e);
        }
    }

    /** The identity of a checkpoint: the canonical path of its local directory (links and dots resolved). */
    private static String checkpoint(String path, Path dir) {
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            throw new ModelLoadException("cannot resolve BioGPT model path '" + path + "' (local directory " + dir
                    + "): " + e.getMessage(), e);
        }
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
                LOADS.computeIfAbsent(key.checkpoint(), s -> new AtomicInteger()).incrementAndGet();
                LOG.info("loaded BioGPT model {} ({}) on {}, {} decode weights, in {} ms", key.path(), key.checkpoint(),
                        key.device(), key.decodeWeights().label(), millis);
                return new ModelLease(model, true, millis);
            }
        }
    }

    private static BioGptModel load(Key key) {
        Path dir = key.local();
        try {
            // The device and the decode-weight format join the cache key: one model per (checkpoint, device, format) per JVM.
            return BioGptModel.load(dir, ModelOptions.defaults().withPlacement(key.device().placement(GpuDtype.configured()))
                    .withDecodeWeights(key.decodeWeights()));
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot load BioGPT model from '" + key.path() + "' (local directory " + dir
                    + "): " + e.getMessage(), e);
        }
    }
}
