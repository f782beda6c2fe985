package org.biogpt.spark.udfs.sql;

import java.util.Objects;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.task.Pooling;
import org.biogpt.spark.udfs.device.DeviceChoice;

/**
 * Settings of the SQL functions. Entities, classification and embeddings usually come from
 * different checkpoints (token- vs sequence-classification heads), so each has its own path,
 * defaulting to {@code modelPath}; tokenization uses {@code modelPath}'s tokenizer.
 *
 * @param maxInputTokens 0 = the model's max positions (no limit for tokenization)
 * @param numThreads     0 = {@code spark.task.cpus}
 * @param maxNewTokens   most tokens biogpt_relations generates (greedy)
 */
public record FunctionOptions(String modelPath, String entityModelPath, String classifierModelPath,
                              String embeddingModelPath, String relationModelPath, String answerModelPath,
                              DeviceChoice device, int numThreads, LengthPolicy truncation, int maxInputTokens,
                              Pooling pooling, int maxNewTokens) {
    /** The stages' default for maxNewTokens. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;

    public FunctionOptions {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(truncation, "truncation");
        Objects.requireNonNull(pooling, "pooling");
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
    }

    /** One checkpoint for everything, CPU, {@code spark.task.cpus} threads, errors on long inputs, mean pooling,
     *  greedy decoding of at most {@value #DEFAULT_MAX_NEW_TOKENS} new tokens (the stages' defaults). */
    public static FunctionOptions of(String modelPath) {
        return new FunctionOptions(modelPath, null, null, null, null, null, DeviceChoice.CPU, 0, LengthPolicy.ERROR, 0,
                Pooling.MEAN, DEFAULT_MAX_NEW_TOKENS);
    }

    public FunctionOptions withEntityModel(String path) {
        return new FunctionOptions(modelPath, path, classifierModelPath, embeddingModelPath, relationModelPath, answerModelPath, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withClassifierModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, path, embeddingModelPath, relationModelPath, answerModelPath, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withEmbeddingModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, path, relationModelPath, answerModelPath, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withRelationModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, path, answerModelPath, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withAnswerModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, relationModelPath, path, device, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withDevice(DeviceChoice d) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, relationModelPath, answerModelPath, d, numThreads, truncation, maxInputTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withTruncation(LengthPolicy policy, int maxTokens) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, relationModelPath, answerModelPath, device, numThreads, policy, maxTokens, pooling, maxNewTokens);
    }

    public FunctionOptions withPooling(Pooling p) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, relationModelPath, answerModelPath, device, numThreads, truncation, maxInputTokens, p, maxNewTokens);
    }

    public FunctionOptions withMaxNewTokens(int n) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, relationModelPath, answerModelPath, device, numThreads, truncation, maxInputTokens, pooling, n);
    }

    /** Prefix of the Spark settings the SQL extension reads ({@code SET spark.biogpt.model=...} works too). */
    public static final String CONF_PREFIX = "spark.biogpt.";

    /**
     * Options from Spark settings, for the SQL extension: {@code spark.biogpt.model} (required: the
     * checkpoint of every function without its own), {@code spark.biogpt.<function>.model} for
     * {@code entities}, {@code classify}, {@code embed}, {@code relations}, {@code answer}, and
     * {@code spark.biogpt.device} (cpu), {@code .numThreads} (0), {@code .truncation} (error),
     * {@code .maxInputTokens} (0), {@code .pooling} (mean), {@code .maxNewTokens} (64).
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
        return new FunctionOptions(model, conf.apply(CONF_PREFIX + "entities.model"),
                conf.apply(CONF_PREFIX + "classify.model"), conf.apply(CONF_PREFIX + "embed.model"),
                conf.apply(CONF_PREFIX + "relations.model"), conf.apply(CONF_PREFIX + "answer.model"),
                DeviceChoice.parse(setting(conf, "device", "cpu")), number(conf, "numThreads", 0),
                truncation.equals("truncate") ? LengthPolicy.TRUNCATE : LengthPolicy.ERROR,
                number(conf, "maxInputTokens", 0), Pooling.parse(setting(conf, "pooling", "mean")),
                number(conf, "maxNewTokens", DEFAULT_MAX_NEW_TOKENS));
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

    String entityPath() {
        return entityModelPath != null ? entityModelPath : modelPath;
    }

    String classifierPath() {
        return classifierModelPath != null ? classifierModelPath : modelPath;
    }

    String relationPath() {
        return relationModelPath != null ? relationModelPath : modelPath;
    }

    String answerPath() {
        return answerModelPath != null ? answerModelPath : modelPath;
    }

    String embeddingPath() {
        return embeddingModelPath != null ? embeddingModelPath : modelPath;
    }
}
