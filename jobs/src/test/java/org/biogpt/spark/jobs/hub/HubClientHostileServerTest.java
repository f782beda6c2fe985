package org.biogpt.spark.jobs.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetch-model's client against a fake Hub on 127.0.0.1 that behaves as an attacker's would: redirects
 * elsewhere, stalls, sends more than it lists or an endless listing, names files to escape the
 * destination. The {@code @Timeout}s guard the run against the very hangs tested; no test measures time.
 */
@Timeout(120)
class HubClientHostileServerTest {
    private static final String TOKEN = "hf_secret_token";
    /** One-second waits and two tries: every stall ends quickly; pauses between tries are recorded, not slept. */
    private static final HubLimits FAST = new HubLimits(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(3), 2,
            Duration.ofSeconds(2), Duration.ofSeconds(30), 64 * 1024, 4096);

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());

    private HubClient client(String endpoint, String token, HubLimits limits) {
        return new HubClient(endpoint, token, limits, new PrintStream(log, true, StandardCharsets.UTF_8), pauses::add);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static FakeHub hub(String repo) throws IOException {
        return new FakeHub(repo)
                .file("config.json", "{\"model_type\": \"biogpt\"}".getBytes(StandardCharsets.UTF_8), false)
                .file("model.safetensors", random(50_000, 7), true);
    }

    private static List<Path> everythingUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.toList();
        }
    }

    @Test
    void theTokenGoesOnlyToTheEndpointsOriginAndNotThroughARedirectToAnotherHost(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub("microsoft/biogpt"); FakeHub cdn = hub("microsoft/biogpt")) {
            h.requiredToken = TOKEN;
            // the listing moves within the endpoint (a renamed repository: relative Location), the weights to another origin
            h.redirects.put(h.listingPath("main"), "/api/models/microsoft/biogpt/revision/v2");
            h.redirects.put(h.filePath("model.safetensors"), cdn.endpoint() + cdn.filePath("model.safetensors"));
            HubClient c = client(h.endpoint(), TOKEN, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            Path got = c.download(l, l.file("model.safetensors"), dir);

            assertArrayEquals(h.files.get("model.safetensors"), Files.readAllBytes(got));
            assertEquals(List.of("GET /api/models/microsoft/biogpt/revision/main", "GET /api/models/microsoft/biogpt/revision/v2",
                    "GET " + h.filePath("model.safetensors")), h.requests);
            assertTrue(h.authorizations.stream().allMatch(("Bearer " + TOKEN)::equals), h.authorizations.toString());
            assertEquals(List.of("GET " + cdn.filePath("model.safetensors")), cdn.requests);
            assertEquals(List.of(""), cdn.authorizations, "no credential off-origin");
        }
    }

    @Test
    void aRedirectToTheSameHostOnAnotherPortOrSchemeIsAnotherOriginToo() {
        assertFalse(HubHttp.originOf(java.net.URI.create("https://huggingface.co/a"))
                .equals(HubHttp.originOf(java.net.URI.create("http://huggingface.co/a"))));
        assertFalse(HubHttp.originOf(java.net.URI.create("http://127.0.0.1:8080/a"))
                .equals(HubHttp.originOf(java.net.URI.create("http://127.0.0.1:8081/a"))));
        assertEquals(HubHttp.originOf(java.net.URI.create("https://HuggingFace.co/a")),
                HubHttp.originOf(java.net.URI.create("https://huggingface.co:443/b?c")));
    }

    @Test
    void aListingThatNeverAnswersEndsAfterTheTimeoutAndItsRetries(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.stallBeforeHeaders.add(h.listingPath("main"));
            HubException e = assertThrows(HubException.class, () -> client(h.endpoint(), null, FAST).list(h.repo, "main"));
            assertTrue(e.getMessage().contains("after 2 tries") && e.getMessage().contains("timed out"), e.getMessage());
            assertEquals(2, h.requests.size());
            assertEquals(List.of(Duration.ofSeconds(2)), pauses);
        }
    }

    @Test
    void aBodyThatStallsEndsAfterTheIdleTimeoutAndKeepsWhatArrivedForTheNextRun(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.stallAfter.put("model.safetensors", 20_000);
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("model.safetensors"), dir));
            assertTrue(e.getMessage().contains("no data for 1 s") && e.getMessage().contains("run the command again to resume"),
                    e.getMessage());
            assertFalse(Files.exists(dir.resolve("model.safetensors")));
            long kept = Files.size(dir.resolve("model.safetensors.part"));
            assertTrue(kept > 0 && kept <= 20_000, "kept " + kept);

            h.stallAfter.clear(); // the next run resumes and completes
            c.download(l, l.file("model.safetensors"), dir);
            assertArrayEquals(h.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
        }
    }

    @Test
    void aListingThatDripsForeverEndsAtTheListingDeadline() throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            // a few bytes and then silence, under an idle timeout longer than the listing deadline: the deadline ends it
            HubLimits patient = new HubLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1), 1,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 20, 1 << 20);
            h.redirects.put(h.listingPath("main"), h.filePath("slow.json"));
            h.file("slow.json", "{\"siblings\": []}".getBytes(StandardCharsets.UTF_8), false);
            h.stallAfter.put("slow.json", 3);
            HubException e = assertThrows(HubException.class, () -> client(h.endpoint(), null, patient).list(h.repo, "main"));
            assertTrue(e.getMessage().contains("took longer than 1 s"), e.getMessage());
        }
    }

    @Test
    void aBodyLongerThanListedIsNeverWrittenPastTheListedSize(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.overlong.put("config.json", 50L << 20);
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            long listed = l.file("config.json").size();
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("config.json"), dir));
            assertTrue(e.getMessage().contains("more than the " + listed + " bytes the listing gives"), e.getMessage());
            for (Path p : everythingUnder(dir)) {
                assertTrue(Files.isDirectory(p) || Files.size(p) <= listed, p + " is larger than the listed size");
            }
            assertFalse(Files.exists(dir.resolve("config.json")));
            assertFalse(Files.exists(dir.resolve("config.json.part")));
        }
    }

    @Test
    void anEndlessListingIsRefusedAtTheCap() throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.endlessListingBytes = 8L << 20; // the fake stops by itself; the client must stop far earlier
            HubException e = assertThrows(HubException.class, () -> client(h.endpoint(), null, FAST).list(h.repo, "main"));
            assertTrue(e.getMessage().contains("larger than 65536 bytes"), e.getMessage());
        }
    }

    @Test
    void aWeightIndexListedOverTheCapIsNotDownloaded(@TempDir Path dir) throws IOException {
        try (FakeHub h = new FakeHub("org/sharded")) {
            h.file("config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("model.safetensors.index.json", new byte[5000], false);
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.checkpointFiles(l, dir));
            assertTrue(e.getMessage().contains("more than the 4096 a weight index may have"), e.getMessage());
            assertTrue(h.requests.stream().noneMatch(r -> r.contains("/resolve/")), h.requests.toString());
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            HubLimits three = new HubLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 3,
                    Duration.ofSeconds(2), Duration.ofSeconds(30), 1 << 20, 1 << 20);
            h.failFirst.put(h.listingPath("main"), new ArrayDeque<>(List.of(503, 429)));
            h.retryAfter = "7";
            assertEquals(2, client(h.endpoint(), null, three).list(h.repo, "main").files().size());
            assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), pauses);

            pauses.clear();
            h.failFirst.put(h.listingPath("main"), new ArrayDeque<>(List.of(429)));
            h.retryAfter = "86400"; // a day: waited only up to the cap
            client(h.endpoint(), null, three).list(h.repo, "main");
            assertEquals(List.of(Duration.ofSeconds(30)), pauses);

            pauses.clear();
            h.failFirst.put(h.listingPath("main"), new ArrayDeque<>(List.of(503, 503, 503)));
            h.retryAfter = null; // no ask: the doubling backoff, and the last answer is the error
            HubException e = assertThrows(HubException.class, () -> client(h.endpoint(), null, three).list(h.repo, "main"));
            assertEquals(503, e.status());
            assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), pauses);
        }
    }

    @Test
    void aRefusedConnectionIsReportedWithItsReasonNotNull() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HubException e = assertThrows(HubException.class,
                () -> client("http://127.0.0.1:" + port, null, FAST).list("microsoft/biogpt", "main"));
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void fileNamesThatNameOrLeaveTheDestinationAreRefused(@TempDir Path dir) throws IOException {
        Path dest = dir.resolve("dest");
        try (FakeHub h = hub("microsoft/biogpt")) {
            for (String name : List.of("shard/..", ".", "..", "../escape.bin", "/etc/x", "a//b", "a/./b", "a\\b", "dir/", "")) {
                h.file(name, "x".getBytes(StandardCharsets.UTF_8), false);
            }
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            for (String name : List.of("shard/..", ".", "..", "../escape.bin", "/etc/x", "a//b", "a/./b", "a\\b", "dir/", "")) {
                HubException e = assertThrows(HubException.class, () -> c.download(l, l.file(name), dest), name);
                assertTrue(e.getMessage().contains("refusing the file name"), e.getMessage());
            }
            assertEquals(List.of(dir, dest), everythingUnder(dir), "nothing written beside or inside the destination");
        }
    }

    @Test
    void aPlantedPartLinkIsRefusedAndItsTargetLeftAlone(@TempDir Path dir) throws IOException {
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(dest.resolve("model.safetensors.part"), victim);
        Path dangling = dir.resolve("not-yet.txt");
        Files.createSymbolicLink(dest.resolve("config.json.part"), dangling);
        try (FakeHub h = hub("microsoft/biogpt")) {
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("model.safetensors"), dest));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
            assertEquals("precious", Files.readString(victim));
            assertThrows(HubException.class, () -> c.download(l, l.file("config.json"), dest));
            assertFalse(Files.exists(dangling), "a dangling link is not written through either");
        }
    }

    @Test
    void aLinkedFolderInTheDestinationIsNotWrittenThrough(@TempDir Path dir) throws IOException {
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dest.resolve("shards"), outside);
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.file("shards/model-1.safetensors", random(100, 9), true);
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("shards/model-1.safetensors"), dest));
            assertTrue(e.getMessage().contains("leads outside"), e.getMessage());
            assertEquals(List.of(outside), everythingUnder(outside));
        }
    }

    @Test
    void controlCharactersInHubFileNamesAreEscapedInMessagesAndProgress(@TempDir Path dir) throws IOException {
        try (FakeHub h = hub("microsoft/biogpt")) {
            h.file("evil\u001b]0;owned\u0007.json", "{}".getBytes(StandardCharsets.UTF_8), false);
            h.file("weights\u202egnp.bin", random(100, 3), true);
            HubClient c = client(h.endpoint(), null, FAST);
            HubClient.Listing l = c.list(h.repo, "main");
            HubException e = assertThrows(HubException.class, () -> c.download(l, l.file("evil\u001b]0;owned\u0007.json"), dir));
            assertTrue(e.getMessage().contains("evil\\x1b]0;owned\\x07.json"), e.getMessage());
            c.download(l, l.file("weights\u202egnp.bin"), dir);
            String printed = log.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("weights\\u202egnp.bin ["), printed);
            assertFalse(printed.contains("\u202e") || printed.contains("\u001b"), printed);
        }
    }
}
