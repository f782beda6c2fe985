package org.biogpt.spark.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.biogpt.spark.core.checkpoint.CheckpointException;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;

/**
 * The hyper-parameters of a BioGPT checkpoint, read from its {@code config.json}.
 * Shape keys are required (a guessed shape would only fail later, less clearly); the rest take
 * the Hugging Face {@code BioGptConfig} defaults. {@code layer_norm_eps} is deliberately absent:
 * the reference ignores it and uses 1e-5 in every LayerNorm.
 */
public record BioGptConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        boolean scaleEmbedding,
        String hiddenAct,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        List<String> architectures,
        Map<Integer, String> id2label,
        String problemType) implements Serializable {

    /** {@code problem_type} of a sequence classifier whose labels are independent (sigmoid per label). */
    public static final String MULTI_LABEL = "multi_label_classification";

    /** Offset of BioGPT's learned positions (OPT-style): row = position + 2. */
    public static final int POSITION_OFFSET = 2;
    /** LayerNorm epsilon of the reference (nn.LayerNorm default), whatever config.json says. */
    public static final float LAYER_NORM_EPS = 1e-5f;

    public BioGptConfig {
        if (hiddenSize % numHeads != 0) {
            throw new CheckpointException("config: hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + numHeads);
        }
        architectures = List.copyOf(architectures);
        id2label = Collections.unmodifiableMap(new TreeMap<>(id2label));
    }

    /** What the token embeddings are multiplied by: sqrt(hidden_size) with scale_embedding, else 1. */
    public float embedScale() {
        return scaleEmbedding ? (float) Math.sqrt(hiddenSize) : 1f;
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int numLabels() {
        return id2label.size();
    }

    /** Whether a sequence classifier scores each label on its own ({@code problem_type} multi-label). */
    public boolean multiLabel() {
        return MULTI_LABEL.equals(problemType);
    }

    /** config.json of a Hub checkpoint, or the same read from a fairseq folder's cfg.model ({@link CheckpointLoader#config}). */
    public static BioGptConfig load(Path modelDir) {
        CheckpointLoader.ConfigJson json = CheckpointLoader.config(modelDir);
        return fromJson(json.root(), json.source());
    }

    public static BioGptConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new CheckpointException(source + ": config must be a JSON object");
        }
        String modelType = root.path("model_type").asText("biogpt");
        if (!modelType.equals("biogpt")) {
            throw new CheckpointException(source + ": model_type is '" + modelType + "', expected 'biogpt'");
        }
        List<String> arch = new ArrayList<>();
        root.path("architectures").forEach(a -> arch.add(a.asText()));
        Map<Integer, String> labels = new TreeMap<>();
        JsonNode id2label = root.get("id2label");
        if (id2label != null && id2label.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                try {
                    labels.put(Integer.parseInt(e.getKey()), e.getValue().asText());
                } catch (NumberFormatException ex) {
                    throw new CheckpointException(source + ": id2label key '" + e.getKey() + "' is not an integer");
                }
            }
        } else if (root.has("num_labels")) {
            int n = positive(root, "num_labels", source);
            for (int i = 0; i < n; i++) {
                labels.put(i, "LABEL_" + i);
            }
        }
        String act = root.path("hidden_act").asText("gelu");
        if (!Activation.isSupported(act)) {
            throw new CheckpointException(source + ": hidden_act '" + act + "' is not supported (supported: "
                    + Activation.SUPPORTED + ")");
        }
        return new BioGptConfig(
                positive(root, "vocab_size", source),
                positive(root, "hidden_size", source),
                positive(root, "num_hidden_layers", source),
                positive(root, "num_attention_heads", source),
                positive(root, "intermediate_size", source),
                positive(root, "max_position_embeddings", source),
                root.path("scale_embedding").asBoolean(true),
                act,
                root.path("pad_token_id").asInt(1),
                root.path("bos_token_id").asInt(0),
                firstInt(root.get("eos_token_id"), 2),
                arch,
                labels,
                root.hasNonNull("problem_type") ? root.get("problem_type").asText() : null);
    }

    private static int firstInt(JsonNode n, int dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        return n.isArray() ? n.get(0).asInt(dflt) : n.asInt(dflt);
    }

    private static int positive(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new CheckpointException(source + ": missing required key '" + key + "'");
        }
        if (!n.canConvertToInt() || n.asInt() <= 0) {
            throw new CheckpointException(source + ": '" + key + "' must be a positive integer, got " + n);
        }
        return n.asInt();
    }
}
