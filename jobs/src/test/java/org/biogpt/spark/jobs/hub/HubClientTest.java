package org.biogpt.spark.jobs.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch-model's downloader against a fake Hub on 127.0.0.1. */
class HubClientTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private FakeHub hub() throws IOException {
        return new FakeHub("microsoft/biogpt")
                .file("config.json", "{\"model_type\": \"biogpt\"}".getBytes(StandardCharsets.UTF_8), false)
                .file("vocab.json", "{\"</s>\": 2}".getBytes(StandardCharsets.UTF_8), false)
                .file("merges.txt", "a b\n".getBytes(StandardCharsets.UTF_8), false)
                .file("README.md", "# card".getBytes(StandardCharsets.UTF_8), false)
                .file("pytorch_model.bin", random(300_000, 1), true)
                .file("model.safetensors", random(500_000, 2), true);
    }

    private HubClient client(FakeHub h, String token) {
        return new HubClient(h.endpoint(), token, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void downloadsConfigTokenizerAndPreferredWeightsVerified(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub()) {
            HubClient c = client(h, null);
            HubClient.Listing l = c.list(h.repo, "main");
            assertEquals(FakeHub.COMMIT, l.commit());
            List<HubFile> files = c.checkpointFiles(l, dir);
            assertEquals(List.of("config.json", "vocab.json", "merges.txt", "model.safetensors"),
                    files.stream().map(HubFile::path).toList());
            for (HubFile f : files) {
                c.download(l, f, dir);
            }
            for (String name : List.of("config.json", "vocab.json", "merges.txt", "model.safetensors")) {
                assertArrayEquals(h.files.get(name), Files.readAllBytes(dir.resolve(name)), name);
                assertFalse(Files.exists(dir.resolve(name + ".part")));
            }
            assertFalse(Files.exists(dir.resolve("pytorch_model.bin")));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("model.safetensors ["), "progress bar drawn");
            // A second run finds everything in place and downloads nothing.
            int before = h.requests.size();
            c.download(l, files.get(3), dir);
            assertEquals(before, h.requests.size());
        }
    }

    @Test
    void shardedWeightsComeThroughTheirIndex(@TempDir Path dir) throws IOException {
        try (FakeHub h = new FakeHub("org/sharded")) {
            h.file("config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("model.safetensors.index.json", ("{\"metadata\": {}, \"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\","
                            + " \"b\": \"model-00002-of-00002.safetensors\", \"c\": \"model-00001-of-00002.safetensors\"}}")
                            .getBytes(StandardCharsets.UTF_8), false)
                    .file("model-00001-of-00002.safetensors", random(1000, 3), true)
                    .file("model-00002-of-00002.safetensors", random(2000, 4), true)
                    .file("model-00003-unused.safetensors", random(10, 5), true);
            HubClient c = client(h, null);
            HubClient.Listing l = c.list(h.repo, "main");
            List<String> names = c.checkpointFiles(l, dir).stream().map(HubFile::path).toList();
            assertEquals(List.of("config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
                    "model-00002-of-00002.safetensors"), names);
        }
    }

    @Test
    void resumesAfterACutConnectionWithARangeRequest(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub()) {
            h.cutOnce.put("model.safetensors", 123_456);
            HubClient c = client(h, null);
            HubClient.Listing l = c.list(h.repo, "main");
            HubFile f = l.file("model.safetensors");
            c.download(l, f, dir);
            assertArrayEquals(h.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
            assertEquals(1, h.rangeRequests.get());
            // The client resumes from what it received before the cut (at most the 123456 bytes sent; the
            // socket may drop a buffered tail), and says so.
            String range = h.requests.stream().filter(r -> r.contains("bytes=")).findFirst().orElseThrow();
            long from = Long.parseLong(range.replaceAll(".*bytes=(\\d+)-$", "$1"));
            assertTrue(from > 0 && from <= 123_456, range);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("connection lost after " + from + " bytes"),
                    log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void resumesAPartFileLeftByAnEarlierRun(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub()) {
            byte[] all = h.files.get("pytorch_model.bin");
            Files.write(dir.resolve("pytorch_model.bin.part"), Arrays.copyOf(all, 100_000));
            HubClient c = client(h, null);
            HubClient.Listing l = c.list(h.repo, "main");
            c.download(l, l.file("pytorch_model.bin"), dir);
            assertArrayEquals(all, Files.readAllBytes(dir.resolve("pytorch_model.bin")));
            assertTrue(h.requests.stream().anyMatch(r -> r.endsWith("bytes=100000-")), h.requests.toString());
        }
    }

    @Test
    void checksumMismatchFailsAndLeavesNoFile(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub()) {
            byte[] wrong = h.files.get("model.safetensors").clone();
            wrong[250_000] ^= 1;
            h.corrupt.put("model.safetensors", wrong);
            byte[] wrongSmall = "{\"model_type\": \"gpt2!!\"}".getBytes(StandardCharsets.UTF_8);
            h.corrupt.put("config.json", wrongSmall);
            HubClient c = client(h, null);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("model.safetensors"), dir));
            assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("model.safetensors")));
            assertFalse(Files.exists(dir.resolve("model.safetensors.part")));
            HubException small = assertThrows(HubException.class, () -> c.download(l, l.file("config.json"), dir));
            assertTrue(small.getMessage().contains("mismatch"), small.getMessage());
            assertFalse(Files.exists(dir.resolve("config.json")));
            assertFalse(Files.exists(dir.resolve("config.json.part")));
        }
    }

    @Test
    void unauthorizedAndNotFoundGiveClearMessages(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub()) {
            h.requiredToken = "hf_secret";
            HubException noToken = assertThrows(HubException.class, () -> client(h, null).list(h.repo, "main"));
            assertEquals(401, noToken.status());
            assertTrue(noToken.getMessage().contains("set HF_TOKEN"), noToken.getMessage());
            HubException badToken = assertThrows(HubException.class, () -> client(h, "hf_wrong").list(h.repo, "main"));
            assertTrue(badToken.getMessage().contains("token in HF_TOKEN was not accepted"), badToken.getMessage());
            HubClient.Listing l = client(h, "hf_secret").list(h.repo, "main"); // the Bearer token is sent
            assertEquals(6, l.files().size());

            HubClient c = client(h, "hf_secret");
            HubException missing = assertThrows(HubException.class,
                    () -> c.download(l, new HubFile("no-such-file.bin", 10, null, null), dir));
            assertEquals(404, missing.status());
            assertTrue(missing.getMessage().contains("no-such-file.bin of microsoft/biogpt"), missing.getMessage());
        }
        try (FakeHub other = new FakeHub("someone/else")) {
            HubException e = assertThrows(HubException.class,
                    () -> new HubClient(other.endpoint(), null, System.err).list("microsoft/no-such-model", "main"));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("microsoft/no-such-model"), e.getMessage());
        }
    }
}
