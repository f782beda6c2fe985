package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.biogpt.spark.jobs.Main;
import org.biogpt.spark.jobs.cluster.SampleCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole enrich command, in a child JVM with a 1 GB heap, over a folder of hostile files generated
 * here: a PubMed XML gzip bomb whose one AbstractText expands to 1.5 G characters, a JSONL line of 1.5 G
 * characters, a .jsonl.gz whose second member is damaged, one with trailing garbage and a JSON line past
 * the parser's nesting limit. Held in memory, either giant record alone would not fit the heap. The
 * command must exit 0 with every good record written, one quarantine row per bad one saying what
 * happened (size, byte offset, which limit), and a balanced summary.
 */
class HostileCorpusMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 64 << 20;
    private static final int CHUNKS = 24; // 1.5 G characters

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b, 1 << 16)) {
            z.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] gzip(String s) throws IOException {
        return gzip(s.getBytes(StandardCharsets.UTF_8));
    }

    /** head, then CHUNKS members of 'a' (one compressed chunk written again and again), then tail. */
    private static void bomb(Path file, String head, String tail, byte[] chunk) throws IOException {
        try (OutputStream o = Files.newOutputStream(file)) {
            o.write(gzip(head));
            for (int i = 0; i < CHUNKS; i++) {
                o.write(chunk);
            }
            o.write(gzip(tail));
        }
    }

    private static String article(String pmid, String text) {
        return "<PubmedArticle><MedlineCitation><PMID Version=\"1\">" + pmid + "</PMID><Article><Journal><JournalIssue>"
                + "<PubDate><Year>2020</Year></PubDate></JournalIssue></Journal><ArticleTitle>T" + pmid
                + "</ArticleTitle><Abstract><AbstractText>" + text + "</AbstractText></Abstract></Article>"
                + "</MedlineCitation></PubmedArticle>\n";
    }

    private static String line(String id) {
        return "{\"id\": \"" + id + "\", \"title\": \"T\", \"text\": \"text of " + id + "\"}\n";
    }

    @Test
    void gigabyteRecordsAndDamagedGzipUnderA1GbHeapGiveQuarantineRowsAndABalancedSummary(@TempDir Path dir)
            throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        byte[] a = new byte[CHUNK];
        java.util.Arrays.fill(a, (byte) 'a');
        byte[] chunk = gzip(a);
        a = null;
        String abstractOpen = article("2", "@").substring(0, article("2", "@").indexOf('@'));
        String abstractClose = article("2", "@").substring(article("2", "@").indexOf('@') + 1);
        bomb(in.resolve("bomb.xml.gz"), "<PubmedArticleSet>\n" + article("1", "First abstract.") + abstractOpen,
                abstractClose + article("3", "Third abstract.") + "</PubmedArticleSet>\n", chunk);
        bomb(in.resolve("longline.jsonl.gz"), line("L1") + "{\"id\": \"L2\", \"text\": \"", "\"}\n" + line("L3"), chunk);
        byte[] first = gzip(line("D1") + line("D2"));
        byte[] second = gzip(line("D3"));
        second[1] = 0x00; // bad magic
        try (OutputStream o = Files.newOutputStream(in.resolve("damaged.jsonl.gz"))) {
            o.write(first);
            o.write(second);
        }
        byte[] trailing = gzip(line("T1"));
        try (OutputStream o = Files.newOutputStream(in.resolve("trailing.jsonl.gz"))) {
            o.write(trailing);
            o.write("\0\0garbage".getBytes(StandardCharsets.US_ASCII));
        }
        Files.writeString(in.resolve("deep.jsonl"), line("N1")
                + "{\"id\": \"N2\", \"text\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}\n");

        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true",
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "enrich", "--input", in.toString(), "--output", out.toString(), "--tasks", "", "--output-format", "jsonl",
                "--partition-by", "none", "--master", "local[2]", "--model", SampleCorpus.model("biogpt-tiny").toString()));
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("PYTORCH_VERSION");
        Process child = pb.start();
        if (!child.waitFor(420, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail("enrich did not finish in 420 s:\n" + tail(log));
        }
        assertEquals(0, child.exitValue(), "enrich under -Xmx1g failed:\n" + tail(log));

        JsonNode counts = JSON.readTree(out.resolve("_SUMMARY.json").toFile()).get("counts");
        // bomb 3 records, longline 3, damaged 2 + the file row, trailing 1 + the file row, deep 2.
        assertEquals(13, counts.get("read").asLong(), counts.toString());
        assertEquals(8, counts.get("written").asLong(), counts.toString());
        assertEquals(5, counts.get("quarantined").asLong(), counts.toString());
        assertTrue(counts.get("balanced").asBoolean());

        Map<String, String> reasons = new HashMap<>();
        try (var files = Files.list(out.resolve("_quarantine"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                for (String l : Files.readAllLines(f)) {
                    JsonNode q = JSON.readTree(l);
                    String source = q.get("source").asText();
                    reasons.merge(source.substring(source.lastIndexOf('/') + 1), q.get("error").asText(),
                            (x, y) -> x + " | " + y);
                }
            }
        }
        assertTrue(reasons.get("bomb.xml.gz").startsWith("record 2 (PMID 2): the record holds at least ")
                && reasons.get("bomb.xml.gz").contains("over the limit of 8000000"), reasons.toString());
        assertTrue(reasons.get("longline.jsonl.gz").startsWith("line 2: the line holds "
                + ((long) CHUNK * CHUNKS + "{\"id\": \"L2\", \"text\": \"\"}".length()) + " characters"), reasons.toString());
        assertTrue(reasons.get("damaged.jsonl.gz").contains("byte offset " + first.length + ", after gzip member 1"),
                reasons.toString());
        assertTrue(reasons.get("trailing.jsonl.gz").contains("byte offset " + trailing.length), reasons.toString());
        assertTrue(reasons.get("deep.jsonl").contains("nesting depth"), reasons.toString());
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log);
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
