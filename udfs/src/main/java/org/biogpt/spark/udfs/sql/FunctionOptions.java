package org.biogpt.spark.udfs.sql;

import java.util.Objects;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.tasks.Pooling;

/**
 * Settings of the SQL functions. Entities, classification and embeddings usually come from
 * different checkpoints (token- vs sequence-classification heads), so each has its own path,
 * defaulting to {@code modelPath}; tokenization uses {@code modelPath}'s tokenizer.
 *
 * @param maxInputTokens 0 = the model's max positions (no limit for tokenization)
 * @param numThreads     0 = {@code spark.task.cpus}
 */
public record FunctionOptions(String modelPath, String entityModelPath, String classifierModelPath,
                              String embeddingModelPath, DeviceChoice device, int numThreads,
                              LengthPolicy truncation, int maxInputTokens, Pooling pooling) {

    public FunctionOptions {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(truncation, "truncation");
        Objects.requireNonNull(pooling, "pooling");
    }

    /** One checkpoint for everything, CPU, {@code spark.task.cpus} threads, errors on long inputs, mean pooling. */
    public static FunctionOptions of(String modelPath) {
        return new FunctionOptions(modelPath, null, null, null, DeviceChoice.CPU, 0, LengthPolicy.ERROR, 0, Pooling.MEAN);
    }

    public FunctionOptions withEntityModel(String path) {
        return new FunctionOptions(modelPath, path, classifierModelPath, embeddingModelPath, device, numThreads,
                truncation, maxInputTokens, pooling);
    }

    public FunctionOptions withClassifierModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, path, embeddingModelPath, device, numThreads,
                truncation, maxInputTokens, pooling);
    }

    public FunctionOptions withEmbeddingModel(String path) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, path, device, numThreads,
                truncation, maxInputTokens, pooling);
    }

    public FunctionOptions withDevice(DeviceChoice d) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, d, numThreads,
                truncation, maxInputTokens, pooling);
    }

    public FunctionOptions withTruncation(LengthPolicy policy, int maxTokens) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, device,
                numThreads, policy, maxTokens, pooling);
    }

    public FunctionOptions withPooling(Pooling p) {
        return new FunctionOptions(modelPath, entityModelPath, classifierModelPath, embeddingModelPath, device,
                numThreads, truncation, maxInputTokens, p);
    }

    String entityPath() {
        return entityModelPath != null ? entityModelPath : modelPath;
    }

    String classifierPath() {
        return classifierModelPath != null ? classifierModelPath : modelPath;
    }

    String embeddingPath() {
        return embeddingModelPath != null ? embeddingModelPath : modelPath;
    }
}
