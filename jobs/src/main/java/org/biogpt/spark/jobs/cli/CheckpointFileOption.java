package org.biogpt.spark.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-file NAME}: which checkpoint of a fairseq model folder to read
 * ({@code checkpoint_best.pt}, {@code checkpoint_avg.pt}, ...) when it holds several. The model
 * path becomes that file; core reads the folder's dictionary and bpecodes beside it.
 */
final class CheckpointFileOption {
    static final String NAME = "--checkpoint-file";

    @Option(names = NAME, description = "Fairseq model folder only: the checkpoint file in it to read "
            + "(default: its one checkpoint.pt, checkpoint_avg.pt or checkpoint_best.pt).")
    String checkpointFile;

    /** {@code model} itself without a name; else the named file inside it, which must exist. */
    Path resolve(Path model) {
        if (checkpointFile == null) {
            return model;
        }
        if (checkpointFile.isEmpty() || checkpointFile.contains("/") || checkpointFile.contains("\\")
                || checkpointFile.equals("..") || checkpointFile.equals(".")) {
            throw new IllegalArgumentException(NAME + " takes a file name inside --model, got '" + checkpointFile + "'");
        }
        if (!checkpointFile.endsWith(".pt")) {
            throw new IllegalArgumentException(NAME + " '" + checkpointFile + "' is not a fairseq checkpoint (*.pt)");
        }
        Path file = model.resolve(checkpointFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(NAME + ": no file " + file);
        }
        return file;
    }
}
