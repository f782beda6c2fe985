package org.biogpt.spark.core.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Opens the weights of a Hugging Face checkpoint directory in whichever form the Hub serves them.
 * safetensors is preferred (header-validated, no pickle at all); {@code pytorch_model.bin} is read
 * because {@code microsoft/biogpt} ships only that.
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

    private CheckpointLoader() {
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
                + Arrays.stream(Format.values()).map(f -> f.fileName).collect(Collectors.joining(", ")));
    }

    public static StateDict open(Path modelDir) {
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
