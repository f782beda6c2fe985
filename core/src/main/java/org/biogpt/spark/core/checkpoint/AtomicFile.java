package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file under a temporary name beside it and renames it at the end, so a failed or
 * interrupted write never leaves a half-written checkpoint under the final name.
 */
final class AtomicFile {

    /** Writes the temporary file it is given. */
    @FunctionalInterface
    interface Writer {
        void write(Path tmp) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path file, Writer writer) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new CheckpointException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
