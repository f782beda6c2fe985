package org.biogpt.spark.udfs.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * What the driver reads of a checkpoint: its tokenizer (to broadcast) and config (to check the
 * head a stage needs before any task starts). Only the small metadata files are read, so the
 * driver never touches the weights. Cached per path for the JVM's life, like the executors' models.
 */
public record DriverCheckpoint(String path, BioGptTokenizer tokenizer, BioGptConfig config) {
    private static final Map<String, DriverCheckpoint> CACHE = new ConcurrentHashMap<>();

    public static DriverCheckpoint open(String path) {
        return CACHE.computeIfAbsent(path, p -> {
            Path dir = ModelPaths.localiseMetadata(p);
            try {
                return new DriverCheckpoint(p, BioGptTokenizer.load(dir), BioGptConfig.load(dir));
            } catch (RuntimeException e) {
                throw new ModelLoadException("cannot read tokenizer/config of BioGPT model '" + p + "' (local directory "
                        + dir + "): " + e.getMessage(), e);
            }
        });
    }

    /**
     * Fails when config.json names architectures and {@code architecture} is not among them
     * (e.g. a causal-LM checkpoint given to the entity tagger, which has no classifier head).
     */
    public void requireArchitecture(String architecture, String who) {
        if (!config.architectures().isEmpty() && !config.architectures().contains(architecture)) {
            throw new IllegalArgumentException(who + " needs a " + architecture + " checkpoint, but modelPath '" + path
                    + "' is " + config.architectures());
        }
    }
}
