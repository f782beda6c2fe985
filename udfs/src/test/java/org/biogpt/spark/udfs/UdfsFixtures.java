package org.biogpt.spark.udfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Paths of the tiny fixture checkpoints (set by the parent pom's surefire configuration). */
public final class UdfsFixtures {
    private UdfsFixtures() {
    }

    public static Path model(String folder) {
        return Path.of(System.getProperty("biogpt.fixtures")).resolve("biogpt-tiny").resolve(folder);
    }

    /** A copy of a fixture checkpoint, without the files named in {@code skip}. */
    public static Path copy(String folder, Path target, String... skip) {
        try (Stream<Path> files = Files.list(model(folder))) {
            Files.createDirectories(target);
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Arrays.asList(skip).contains(f.getFileName().toString())) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
