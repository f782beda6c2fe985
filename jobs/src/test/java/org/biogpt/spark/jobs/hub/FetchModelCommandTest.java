package org.biogpt.spark.jobs.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.biogpt.spark.jobs.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code biogpt-spark fetch-model} through the command line, against the fake Hub. */
class FetchModelCommandTest {

    private static int run(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void fetchesACheckpointDirectoryAndReportsA404(@TempDir Path dir) throws IOException {
        try (FakeHub h = new FakeHub("microsoft/biogpt")) {
            h.file("config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("generation_config.json", "{\"eos_token_id\": 2}".getBytes(StandardCharsets.UTF_8), false)
                    .file("vocab.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("merges.txt", "".getBytes(StandardCharsets.UTF_8), false)
                    .file("pytorch_model.bin", new byte[70_000], true);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Path dest = dir.resolve("biogpt");
            assertEquals(0, run(err, "fetch-model", "microsoft/biogpt", "--endpoint", h.endpoint(), "--dest", dest.toString()),
                    err.toString(StandardCharsets.UTF_8));
            for (String f : new String[] {"config.json", "generation_config.json", "vocab.json", "merges.txt", "pytorch_model.bin"}) {
                assertArrayEquals(h.files.get(f), Files.readAllBytes(dest.resolve(f)), f);
            }
            assertTrue(h.requests.stream().anyMatch(r -> r.contains("/api/models/microsoft/biogpt/revision/main")), h.requests.toString());

            ByteArrayOutputStream err3 = new ByteArrayOutputStream();
            assertEquals(1, run(err3, "fetch-model", "nobody/nothing", "--endpoint", h.endpoint(), "--dest",
                    dir.resolve("none2").toString()));
            assertTrue(err3.toString(StandardCharsets.UTF_8).contains("404 Not Found: repository nobody/nothing"),
                    err3.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(dir.resolve("none2").resolve("config.json")));
        }
    }
}
