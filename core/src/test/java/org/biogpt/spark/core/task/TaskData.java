package org.biogpt.spark.core.task;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The BioGPT task test sets in src/test/resources/biogpt-tasks (see SOURCE.md there). */
public final class TaskData {
    private TaskData() {
    }

    public static Path file(String relative) {
        try {
            Path root = Path.of(TaskData.class.getResource("/biogpt-tasks/SOURCE.md").toURI()).getParent();
            return root.resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines of a gzipped output of the original rebuild_data.py (original-rebuild/README.md). */
    public static List<String> originalLines(String name) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file("original-rebuild/" + name + ".gz"))), StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
