package org.biogpt.spark.udfs.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.task.Pooling;
import org.biogpt.spark.udfs.device.DeviceChoice;

/**
 * Settings of the SQL functions. Entities, classification and embeddings usually come from
 * different checkpoints (token- vs sequence-classification heads), so each function of
 * {@link #OWN_MODEL_FUNCTIONS} may have its own path in {@code functionModels}, defaulting to
 * {@code modelPath}; tokenization uses {@code modelPath}'s tokenizer.
 *
 * @param functionModels a function's own checkpoint by its short name ("entities", "classify", ...)
 * @param maxInputTokens 0 = the model's max positions (no limit for tokenization)
 * @param numThreads     0 = {@code spark.task.cpus}
 * @param maxNewTokens   most tokens biogpt_relations generates (greedy)
 * @param decodeWeights  number format of the decode kernel's weights for the generating functions
 *                       (biogpt_relations, biogpt_answer): fp32 (exact, default) or bf16
 */
public record FunctionOptions(String modelPath, Map<String, String> functionModels, DeviceChoice device,
                              int numThreads, LengthPolicy truncation, int maxInputTokens, Pooling pooling,
                              int maxNewTokens, DecodeWeights decodeWeights) {
    /** The stages' default for maxNewTokens. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;

    /**
     * The functions that may have a checkpoint of their own, by the short name their setting uses
     * ({@code spark.biogpt.<name>.model}): biogpt_entities, biogpt_classify, biogpt_embed,
     * biogpt_relations, biogpt_answer.
     */
    public static final List<String> OWN_MODEL_FUNCTIONS = List.of("entities", "classify", "embed", "relations", "answer");

    public FunctionOptions {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(truncation, "truncation");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(decodeWeights, "decodeWeights");
        for (String function : functionModels.keySet()) {
            requireOwnModelFunction(function);
        }
        functionModels = Map.copyOf(functionModels);
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
    }

    /** One checkpoint for everything, CPU, {@code spark.task.cpus} threads, errors on long inputs, mean pooling,
     *  greedy decoding of at most {@value #DEFAULT_MAX_NEW_TOKENS} new tokens (the stages' defaults). */
    public static FunctionOptions of(String modelPath) {
        return new FunctionOptions(modelPath, Map.of(), DeviceChoice.CPU, 0, LengthPolicy.ERROR, 0, Pooling.MEAN,
                DEFAULT_MAX_NEW_TOKENS, DecodeWeights.FP32);
    }

    /** These options with {@code path} as the checkpoint of {@code function} (one of {@link #OWN_MODEL_FUNCTIONS}). */
    public FunctionOptions withModel(String function, String path) {
        requireOwnModelFunction(function);
        Map<String, String> models = new LinkedHashMap<>(functionModels);
        models.put(function, Objects.requireNonNull(path, "path"));
        return new FunctionOptions(modelPath, models, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens, decodeWeights);
    }

    public FunctionOptions withDevice(DeviceChoice d) {
        return new FunctionOptions(modelPath, functionModels, d, numThreads, truncation, maxInputTokens, pooling, maxNewTokens, decodeWeights);
    }

    public FunctionOptions withTruncation(LengthPolicy policy, int maxTokens) {
        return new FunctionOptions(modelPath, functionModels, device, numThreads, policy, maxTokens, pooling, maxNewTokens, decodeWeights);
    }

    public FunctionOptions withPooling(Pooling p) {
        return new FunctionOptions(modelPath, functionModels, device, numThreads, truncation, maxInputTokens, p, maxNewTokens, decodeWeights);
    }

    public FunctionOptions withMaxNewTokens(int n) {
        return new FunctionOptions(modelPath, functionModels, device, numThreads, truncation, maxInputTokens, pooling, n, decodeWeights);
    }

    public FunctionOptions withDecodeWeights(DecodeWeights format) {
        return new FunctionOptions(modelPath, functionModels, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens, format);
    }

    /** The checkpoint {@code function} runs on: its own, else {@code modelPath}. */
    String modelFor(String function) {
        requireOwnModelFunction(function);
        return functionModels.getOrDefault(function, modelPath);
    }

    private static void requireOwnModelFunction(String function) {
        if (!OWN_MODEL_FUNCTIONS.contains(function)) {
            throw new IllegalArgumentException("no SQL function '" + function + "' with a checkpoint of its own; there are "
                    + OWN_MODEL_FUNCTIONS);
        }
    }

    /** Prefix of the Spark settings the SQL extension reads ({@code SET spark.biogpt.model=...} works too). */
    public static final String CONF_PREFIX = "spark.biogpt.";

    /**
     * Options from Spark settings, for the SQL extension: {@code spark.biogpt.model} (required: the
     * checkpoint of every function without its own), {@code spark.biogpt.<function>.model} for
     * {@code entities}, {@code classify}, {@code embed}, {@code relations}, {@code answer}, and
     * {@code spark.biogpt.device} (cpu), {@code .numThreads} (0), {@code .truncation} (error),
     * {@code .maxInputTokens} (0), {@code .pooling} (mean), {@code .maxNewTokens} (64), {@code .decodeWeights}
     * (fp32; or bf16, for biogpt_relations and biogpt_answer).
     *
     * @param conf a setting's value by its full name, or null when unset
     */
    public static FunctionOptions fromConf(java.util.function.Function<String, String> conf) {
        String model = conf.apply(CONF_PREFIX + "model");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("the biogpt_* SQL functions need a checkpoint: set " + CONF_PREFIX
                    + "model (and " + CONF_PREFIX + "entities.model, " + CONF_PREFIX + "classify.model, ... for "
                    + "functions that need another head), e.g. --conf " + CONF_PREFIX + "model=hdfs:///models/biogpt");
        }
        String truncation = setting(conf, "truncation", "error");
        if (!truncation.equals("error") && !truncation.equals("truncate")) {
            throw new IllegalArgumentException(CONF_PREFIX + "truncation must be one of error, truncate; got '"
                    + truncation + "'");
        }
        Map<String, String> functionModels = new LinkedHashMap<>();
        for (String function : OWN_MODEL_FUNCTIONS) {
            String path = conf.apply(CONF_PREFIX + function + ".model");
            if (path != null) {
                functionModels.put(function, path);
            }
        }
        return new FunctionOptions(model, functionModels, DeviceChoice.parse(setting(conf, "device", "cpu")),
                number(conf, "numThreads", 0), truncation.equals("truncate") ? LengthPolicy.TRUNCATE : LengthPolicy.ERROR,
                number(conf, "maxInputTokens", 0), Pooling.parse(setting(conf, "pooling", "mean")),
                number(conf, "maxNewTokens", DEFAULT_MAX_NEW_TOKENS), decodeWeights(conf));
    }

    private static DecodeWeights decodeWeights(java.util.function.Function<String, String> conf) {
        String v = setting(conf, "decodeWeights", "fp32");
        try {
            return DecodeWeights.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CONF_PREFIX + "decodeWeights must be one of fp32, bf16; got '" + v + "'", e);
        }
    }

    private static String setting(java.util.function.Function<String, String> conf, String name, String dflt) {
        String v = conf.apply(CONF_PREFIX + name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static int number(java.util.function.Function<String, String> conf, String name, int dflt) {
        String v = setting(conf, name, String.valueOf(dflt));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CONF_PREFIX + name + " must be a whole number, got '" + v + "'", e);
        }
    }
}
