package org.biogpt.spark.core.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The native libraries this process has mapped, read from {@code /proc/self/maps}: the one
 * authoritative answer to "which libdjl_torch did DJL load", since DJL picks it from several places.
 */
final class MappedLibraries {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private MappedLibraries() {
    }

    /** The first mapped file named {@code lib<name>.so} or {@code <prefix>-lib<name>.so}; null if none or no /proc. */
    static Path find(String name) {
        if (!Files.isReadable(MAPS)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.map(MappedLibraries::pathOf)
                    .filter(p -> p != null && matches(p.getFileName().toString(), name))
                    .findFirst().orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The path column of one maps line (the sixth field onward), or null for an anonymous mapping. */
    static Path pathOf(String line) {
        int slash = line.indexOf(" /");
        if (slash < 0) {
            return null;
        }
        String path = line.substring(slash + 1).strip();
        if (path.endsWith(" (deleted)")) {
            path = path.substring(0, path.length() - " (deleted)".length());
        }
        return Path.of(path);
    }

    static boolean matches(String fileName, String name) {
        String lib = "lib" + name + ".so";
        return fileName.equals(lib) || fileName.endsWith("-" + lib);
    }
}
