package org.biogpt.spark.udfs.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * What the driver reads of a checkpoint before any task starts: the path executors are given
 * ({@link ModelPaths#forExecutors}: checked to exist, a relative local path made absolute), its
 * tokenizer (to broadcast) and config (to check the head a stage needs). Only the small metadata
 * files are read, so the driver never touches the weights ({@link #requireWeights} only looks for
 * them). Cached per path for the JVM's life, like the executors' models.
 *
 * @param path         the model path as the user gave it (messages)
 * @param executorPath the model path executors resolve
 */
public record DriverCheckpoint(String path, String executorPath, BioGptTokenizer tokenizer, BioGptConfig config) {
    private static final Map<String, DriverCheckpoint> CACHE = new ConcurrentHashMap<>();

    public static DriverCheckpoint open(String path) {
        return CACHE.computeIfAbsent(path, p -> {
            String executorPath = ModelPaths.forExecutors(p);
            Path dir = ModelPaths.localiseMetadata(executorPath);
            // A fairseq folder's files are checked, and named when missing, by the loader itself.
            List<String> missing = FairseqCheckpoint.isLayout(dir) ? List.of() : ModelPaths.METADATA_FILES.stream()
                    .filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
            if (!missing.isEmpty()) {
                throw new ModelLoadException("BioGPT model '" + p + "' lacks " + String.join(", ", missing)
                        + " (a checkpoint directory as the Hugging Face Hub serves it has config.json, vocab.json, "
                        + "merges.txt and weights)");
            }
            try {
                return new DriverCheckpoint(p, executorPath, BioGptTokenizer.load(dir), BioGptConfig.load(dir));
            } catch (RuntimeException e) {
                throw new ModelLoadException("cannot read tokenizer/config of BioGPT model '" + p + "' (local directory "
                        + dir + "): " + e.getMessage(), e);
            }
        });
    }

    /** Fails, naming {@code who}, unless the checkpoint has weights the loader reads (stages that run the model). */
    public void requireWeights(String who) {
        ModelPaths.requireWeights(executorPath, who);
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
