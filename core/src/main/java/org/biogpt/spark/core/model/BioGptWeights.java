package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.biogpt.spark.core.checkpoint.CheckpointException;
import org.biogpt.spark.core.checkpoint.MappedBuffers;
import org.biogpt.spark.core.checkpoint.StateDict;
import org.biogpt.spark.core.checkpoint.TensorInfo;
import org.biogpt.spark.core.device.Placement;

/**
 * All parameters of a BioGPT checkpoint as NDArrays on one {@link Placement} (float32 on the CPU), loaded once and then only read (so
 * one instance is shared by every thread of the JVM). Accepts Hub names ({@code biogpt.*}) and the
 * bare names of a {@code BioGptModel} saved alone; checks every tensor's presence and shape
 * against the config, and refuses tensors it does not know.
 *
 * <p>Each tensor is copied once into libtorch's own (anonymous) memory rather than used as a view
 * of the memory-mapped file: clean file pages can be dropped by the kernel's proactive reclaim
 * (this VM runs DAMON) and would then be read from disk again in the middle of a forward, which
 * made prefill times vary several-fold (docs/PERFORMANCE.md). F16/BF16 arrive widened to float32 by the {@link StateDict}.
 * After a model on these weights first generates with the decode kernel, the decoder layers'
 * linears live only in the kernel's packed copy ({@code PackedLinears}, {@link LayerWeights}).
 */
public final class BioGptWeights implements AutoCloseable {
    private final BioGptConfig config;
    private final NDManager manager;
    private final NDArray embedTokens;      // [V, d], also the tied LM head
    private final NDArray embedPositions;   // [P + 2, d]
    private final List<LayerWeights> layers;
    /** Per layer, the allocation its six projection weights are views of (host float32 only; else empty). */
    private final List<NDArray> linearBlocks;
    private final NDArray finalLnWeight;    // [d]
    private final NDArray finalLnBias;      // [d]
    private final NDArray classifierWeight; // [labels, d] or null
    private final NDArray classifierBias;   // [labels] or null
    private final NDArray scoreWeight;      // [labels, d] or null
    private final PackedLinears packed;

    private BioGptWeights(BioGptConfig config, NDManager manager, NDArray embedTokens, NDArray embedPositions,
                          List<LayerWeights> layers, List<NDArray> linearBlocks, NDArray finalLnWeight, NDArray finalLnBias,
                          NDArray classifierWeight, NDArray classifierBias, NDArray scoreWeight) {
        this.config = config;
        this.manager = manager;
        this.embedTokens = embedTokens;
        this.embedPositions = embedPositions;
        this.layers = Collections.unmodifiableList(layers);
        this.linearBlocks = List.copyOf(linearBlocks);
        this.finalLnWeight = finalLnWeight;
        this.finalLnBias = finalLnBias;
        this.classifierWeight = classifierWeight;
        this.classifierBias = classifierBias;
        this.scoreWeight = scoreWeight;
        this.packed = new PackedLinears(this);
    }

    /** Reads and checks every tensor onto the CPU in float32; the StateDict may be closed afterwards. */
    public static BioGptWeights load(StateDict state, BioGptConfig config) {
        return load(state, config, Placement.cpu());
    }

    /**
     * Reads and checks every tensor and places it: each goes through host memory in float32 (BF16 and
     * F16 checkpoints are widened in Java) and is then copied to the device and narrowed there, so no
     * half-precision array ever exists on the host side of DJL.
     */
    public static BioGptWeights load(StateDict state, BioGptConfig config, Placement placement) {
        return new Loader(state, config, placement).load();
    }

    public BioGptConfig config() {
        return config;
    }

    public NDArray embedTokens() {
        return embedTokens;
    }

    /** The LM head: tied to the token embedding (Hugging Face ties {@code output_projection}). */
    public NDArray lmHead() {
        return embedTokens;
    }

    public NDArray embedPositions() {
        return embedPositions;
    }

    public List<LayerWeights> layers() {
        return layers;
    }

    public NDArray finalLnWeight() {
        return finalLnWeight;
    }

    public NDArray finalLnBias() {
        return finalLnBias;
    }

    public boolean hasTokenClassifier() {
        return classifierWeight != null;
    }

    public NDArray classifierWeight() {
        return require(classifierWeight, "token classification head (classifier.weight)");
    }

    public NDArray classifierBias() {
        return require(classifierBias, "token classification head (classifier.bias)");
    }

    public boolean hasSequenceClassifier() {
        return scoreWeight != null;
    }

    public NDArray scoreWeight() {
        return require(scoreWeight, "sequence classification head (score.weight)");
    }

    /** Number of parameters that take part in matmuls per token (layers + LM head), for FLOP counts. */
    public long matmulParamsPerToken() {
        long d = config.hiddenSize();
        long f = config.intermediateSize();
        return config.numLayers() * (4 * d * d + 2 * d * f);
    }

    private static NDArray require(NDArray a, String what) {
        if (a == null) {
            throw new IllegalStateException("this checkpoint has no " + what);
        }
        return a;
    }

    /**
     * The decode kernel's packed copies of the linears, shared by every model on these weights;
     * once made, the decoder layers' linears live only there ({@link PackedLinears}).
     */
    PackedLinears packed() {
        return packed;
    }

    /** The allocation layer {@code i}'s six projection weights are views of; null where each has its own (not on the host in f32). */
    NDArray linearBlock(int i) {
        return linearBlocks.isEmpty() ? null : linearBlocks.get(i);
    }

    /** Arrays owned by the weights' manager: constant after load unless a forward leaks onto it. */
    int ownedArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        packed.close();
        manager.close();
    }

    /** Name resolution, shape checks and NDArray creation. */
    private static final class Loader {
        private final StateDict state;
        private final BioGptConfig config;
        private final String prefix;
        private final Set<String> unused;
        private final Placement placement;
        private NDManager manager;
        private final List<NDArray> linearBlocks = new ArrayList<>();

        Loader(StateDict state, BioGptConfig config, Placement placement) {
            this.state = state;
            this.config = config;
            this.placement = placement;
            this.prefix = state.names().contains("biogpt.embed_tokens.weight") ? "biogpt." : "";
            this.unused = new LinkedHashSet<>(state.names());
        }

        BioGptWeights load() {
            placement.requireAvailable();
            manager = placement.newManager();
            try {
                return build();
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        private BioGptWeights build() {
            long v = config.vocabSize();
            long d = config.hiddenSize();
            long f = config.intermediateSize();
            NDArray embed = body("embed_tokens.weight", v, d);
            NDArray positions = body("embed_positions.weight", config.maxPositions() + BioGptConfig.POSITION_OFFSET, d);
            List<LayerWeights> layers = new ArrayList<>();
            float qScale = (float) Math.pow(config.headDim(), -0.5);
            for (int i = 0; i < config.numLayers(); i++) {
                String p = "layers." + i + ".";
                // Folding the scale into q's projection saves one op per layer and is the same
                // (x·W + b)·s up to float rounding (~1e-7 relative); scaled in f32, then narrowed.
                NDArray[] lin = placement.isHostF32() ? linearsInOneBlock(p, d, f, qScale) : new NDArray[] {
                    scaled(prefix + p + "self_attn.q_proj.weight", qScale, d, d),
                    body(p + "self_attn.k_proj.weight", d, d), body(p + "self_attn.v_proj.weight", d, d),
                    body(p + "self_attn.out_proj.weight", d, d), body(p + "fc1.weight", f, d), body(p + "fc2.weight", d, f)};
                NDArray qBs = scaled(prefix + p + "self_attn.q_proj.bias", qScale, d);
                layers.add(new LayerWeights(
                        body(p + "self_attn_layer_norm.weight", d), body(p + "self_attn_layer_norm.bias", d),
                        lin[0], qBs,
                        lin[1], body(p + "self_attn.k_proj.bias", d),
                        lin[2], body(p + "self_attn.v_proj.bias", d),
                        lin[3], body(p + "self_attn.out_proj.bias", d),
                        body(p + "final_layer_norm.weight", d), body(p + "final_layer_norm.bias", d),
                        lin[4], body(p + "fc1.bias", f),
                        lin[5], body(p + "fc2.bias", d)));
            }
            NDArray lnW = body("layer_norm.weight", d);
            NDArray lnB = body("layer_norm.bias", d);
            // Tied LM head: a stored output_projection (pytorch_model.bin keeps it, sharing the
            // embedding's storage) must have the embedding's shape and is otherwise not used.
            if (state.names().contains("output_projection.weight")) {
                checkShape("output_projection.weight", v, d);
                unused.remove("output_projection.weight");
            }
            NDArray clsW = null;
            NDArray clsB = null;
            if (state.names().contains("classifier.weight") || state.names().contains("classifier.bias")) {
                long labels = labels("classifier.weight");
                clsW = tensor("classifier.weight", labels, d);
                clsB = tensor("classifier.bias", labels);
            }
            NDArray scoreW = null;
            if (state.names().contains("score.weight")) {
                scoreW = tensor("score.weight", labels("score.weight"), d);
            }
            if (!unused.isEmpty()) {
                throw new CheckpointException("unexpected tensors in checkpoint: " + new TreeSet<>(unused));
            }
            return new BioGptWeights(config, manager, embed, positions, layers, linearBlocks, lnW, lnB, clsW, clsB, scoreW);
        }

        /** Label count of a head: config's id2label when it has one, else the stored rows. */
        private long labels(String name) {
            if (!state.names().contains(name)) {
                throw new CheckpointException("missing tensor '" + name + "'");
            }
            long rows = state.info(name).shape().length > 0 ? state.info(name).shape()[0] : -1;
            return config.numLabels() > 0 ? config.numLabels() : rows;
        }

        /** The tensor times s, computed in float32, then narrowed. */
        private NDArray scaled(String name, float s, long... shape) {
            try (NDArray a = float32(name, shape)) {
                return narrow(a.mul(s));
            }
        }

        /**
         * On the host in float32: a layer's q (scaled by s), k, v, out, fc1 and fc2 weights as views of
         * one allocation of their own. It is larger than glibc's largest mmap threshold, so it is mapped
         * apart from the malloc arenas, and when the decode kernel's packed copy replaces it
         * ({@link PackedLinears}) freeing it gives the memory back to the OS; six separate weights would
         * partly land in an arena, which keeps freed memory resident.
         */
        private NDArray[] linearsInOneBlock(String layer, long d, long f, float s) {
            String[] names = {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                "self_attn.out_proj.weight", "fc1.weight", "fc2.weight"};
            long[][] shapes = {{d, d}, {d, d}, {d, d}, {d, d}, {f, d}, {d, f}};
            long total = 4 * d * d + 2 * d * f;
            NDArray block = manager.create(new Shape(total), DataType.FLOAT32);
            FloatBuffer into = Ops.memory(block).asFloatBuffer();
            NDArray[] views = new NDArray[names.length];
            long at = 0;
            for (int i = 0; i < names.length; i++) {
                String name = prefix + layer + names[i];
                if (!state.names().contains(name)) {
                    throw new CheckpointException("missing tensor '" + name + "'"
                            + (prefix.isEmpty() ? "" : " (checkpoint uses the '" + prefix + "' prefix)"));
                }
                checkShape(name, shapes[i]);
                unused.remove(name);
                long size = shapes[i][0] * shapes[i][1];
                ByteBuffer bytes = state.float32Bytes(name);
                try {
                    FloatBuffer from = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    if (i == 0) {
                        for (int j = 0; j < size; j++) {
                            into.put((int) at + j, from.get(j) * s);
                        }
                    } else {
                        into.put((int) at, from, 0, (int) size);
                    }
                } finally {
                    MappedBuffers.release(bytes);
                }
                try (NDArray flat = block.get(new NDIndex("{}:{}", at, at + size))) {
                    views[i] = flat.reshape(shapes[i]);
                }
                at += size;
            }
            linearBlocks.add(block);
            return views;
        }

        private NDArray body(String name, long... shape) {
            return tensor(prefix + name, shape);
        }

        private NDArray tensor(String name, long... shape) {
            return narrow(float32(name, shape));
        }

        /** The tensor in float32 on the placement's device. */
        private NDArray float32(String name, long... shape) {
            if (!state.names().contains(name)) {
                throw new CheckpointException("missing tensor '" + name + "'"
                        + (prefix.isEmpty() ? "" : " (checkpoint uses the '" + prefix + "' prefix)"));
            }
            checkShape(name, shape);
            unused.remove(name);
            ByteBuffer bytes = state.float32Bytes(name);
            try (NDArray view = manager.create(bytes, new Shape(shape), DataType.FLOAT32)) {
                return view.duplicate();
            } finally {
                MappedBuffers.release(bytes);                          // copied: unmap now, not at the next GC
            }
        }

        /** The array in the placement's compute type (the same array when that is float32). */
        private NDArray narrow(NDArray a) {
            if (a.getDataType() == placement.compute()) {
                return a;
            }
            NDArray half = a.toType(placement.compute(), false);
            a.close();
            return half;
        }

        private void checkShape(String name, long... expected) {
            TensorInfo info = state.info(name);
            if (!Arrays.equals(info.shape(), expected)) {
                throw new CheckpointException("tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                        + " but the config (vocab_size " + config.vocabSize() + ", hidden_size "
                        + config.hiddenSize() + ", intermediate_size " + config.intermediateSize()
                        + ", max_position_embeddings " + config.maxPositions() + ", labels "
                        + config.numLabels() + ") needs " + Arrays.toString(expected));
            }
        }
    }
}
