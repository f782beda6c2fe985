package org.biogpt.spark.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Opens the weights of a model path in whichever layout it has. A Hugging Face checkpoint
 * directory in whichever form the Hub serves it: safetensors is preferred (header-validated, no
 * pickle at all); {@code pytorch_model.bin} is read because {@code microsoft/biogpt} ships only
 * that. A microsoft/BioGPT fairseq folder (or one {@code .pt} file in it) is recognised by its
 * files ({@link FairseqCheckpoint#isLayout}) and read as {@link FairseqCheckpoint}.
 */
public final class CheckpointLoader {

    /** Weight file layouts, in order of preference. */
    public enum Format {
        SAFETENSORS("model.safetensors"),
        SAFETENSORS_SHARDED("model.safetensors.index.json"),
        PYTORCH_BIN("pytorch_model.bin"),
        PYTORCH_BIN_SHARDED("pytorch_model.bin.index.json");

        /** The file that marks this layout in a checkpoint directory. */
        public final String fileName;

        Format(String fileName) {
            this.fileName = fileName;
        }
    }

    /** A model path's configuration as a Hub {@code config.json} object, and where it was read. */
    public record ConfigJson(JsonNode root, String source) {
    }

    private CheckpointLoader() {
    }

    /**
     * The model's {@code config.json}: the file of a Hub checkpoint, or the same keys derived from
     * a fairseq checkpoint's {@code cfg.model} ({@link FairseqCheckpoint#hubConfig()}).
     */
    public static ConfigJson config(Path modelDir) {
        if (FairseqCheckpoint.isLayout(modelDir)) {
            try (FairseqCheckpoint f = FairseqCheckpoint.open(modelDir)) {
                return new ConfigJson(f.hubConfig(), f.file().toString());
            }
        }
        return readJson(modelDir, "config.json");
    }

    /**
     * {@code generation_config.json} when the model has one (it wins entirely, as in Hugging Face),
     * otherwise {@link #config}.
     */
    public static ConfigJson generationConfig(Path modelDir) {
        if (FairseqCheckpoint.isLayout(modelDir)) {
            return config(modelDir);
        }
        if (Files.isRegularFile(modelDir.resolve("generation_config.json"))) {
            return readJson(modelDir, "generation_config.json");
        }
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            throw new CheckpointException("no generation_config.json or config.json in " + modelDir);
        }
        return readJson(modelDir, "config.json");
    }

    private static ConfigJson readJson(Path modelDir, String name) {
        Path file = modelDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no " + name + " in " + modelDir);
        }
        try {
            return new ConfigJson(new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The first layout present in {@code modelDir}, by preference; a clear error if none is. */
    public static Format detect(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new CheckpointException(modelDir + " is not a directory");
        }
        for (Format f : Format.values()) {
            if (Files.isRegularFile(modelDir.resolve(f.fileName))) {
                return f;
            }
        }
        throw new CheckpointException("no weights in " + modelDir + ": looked for "
                + Arrays.stream(Format.values()).map(f -> f.fileName).collect(Collectors.joining(", "))
                + " (Hub layout) and " + FairseqCheckpoint.CHECKPOINT_NAMES + " with bpecodes (fairseq layout)");
    }

    public static StateDict open(Path modelDir) {
        if (FairseqCheckpoint.isLayout(modelDir)) {
            return FairseqCheckpoint.open(modelDir);
        }
        return open(modelDir, detect(modelDir));
    }

    /** Opens one specific layout (e.g. to compare the .bin and safetensors copies of one model). */
    public static StateDict open(Path modelDir, Format format) {
        Path file = modelDir.resolve(format.fileName);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no " + format.fileName + " in " + modelDir);
        }
        return switch (format) {
            case SAFETENSORS -> SafetensorsFile.open(file);
            case SAFETENSORS_SHARDED -> ShardedStateDict.open(file, SafetensorsFile::open);
            case PYTORCH_BIN -> TorchZipCheckpoint.open(file);
            case PYTORCH_BIN_SHARDED -> ShardedStateDict.open(file, TorchZipCheckpoint::open);
        };
    }
}
