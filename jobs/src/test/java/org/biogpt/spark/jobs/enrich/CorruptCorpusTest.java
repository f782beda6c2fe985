package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.cluster.SampleCorpus;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue of broken corpus files through the whole enrich job (all model tasks): the job finishes,
 * rows in = rows out + rows quarantined, and every quarantined row says why.
 * (Malformed PubMed XML belongs here too once the XML reader lands.)
 */
class CorruptCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("corrupt-corpus-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String line(String id, String title, String text) throws IOException {
        return JSON.writeValueAsString(text == null ? Map.of("id", id, "title", title) : Map.of("id", id, "title", title,
                "text", text)) + "\n";
    }

    private static EnrichSummary enrich(List<String> inputs, CorpusFormat format, String out) {
        Path lm = SampleCorpus.model("biogpt-tiny");
        return new EnrichJob(inputs, format, out, "parquet", EnrichModels.parse(SampleCorpus.modelSpecs()),
                EnrichTask.parseList("entities,classify,embed"), 8, WriteMode.ERROR)
                .run(spark, BioGptConfig.load(lm), BioGptTokenizer.load(lm));
    }

    /** Balance, one output row per written document, a non-empty reason on every quarantined row. */
    private static void assertAccounted(EnrichSummary s, String out) {
        assertTrue(s.balanced(), s.describe());
        assertEquals(s.read(), s.written() + s.quarantined() + s.superseded(), s.describe());
        assertEquals(s.written(), spark.read().parquet(out).count());
        List<Row> bad = s.quarantined() == 0 ? List.of()
                : spark.read().json(out + "/_quarantine").select("error").collectAsList();
        assertEquals(s.quarantined(), bad.size());
        for (Row r : bad) {
            assertFalse(r.isNullAt(0) || r.getString(0).isBlank(), "quarantined row without a reason");
        }
    }

    @Test
    void brokenJsonlFilesAreAccountedForRowByRow(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Set<String> certain = new HashSet<>(); // ids that must come out as a row or a quarantined record

        // 1. A gzip file cut in the middle of its deflate stream.
        StringBuilder gz = new StringBuilder();
        List<com.fasterxml.jackson.databind.node.ObjectNode> sample = SampleCorpus.records();
        for (int i = 0; i < 40; i++) {
            gz.append(JSON.writeValueAsString(sample.get(i).deepCopy().put("id", "gz-" + i))).append('\n');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(gz.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Files.write(in.resolve("truncated.jsonl.gz"), Arrays.copyOf(whole, whole.length / 2));

        // 2. Lone surrogates: as JSON escapes (valid JSON, invalid UTF-16) and as raw CESU-8 bytes (invalid UTF-8).
        StringBuilder odd = new StringBuilder();
        odd.append("{\"id\": \"sur-1\", \"title\": \"\\ud800 alone\", \"text\": \"Aspirin \\udfff and \\ud83d asthma.\"}\n");
        certain.add("sur-1");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(odd.toString().getBytes(StandardCharsets.UTF_8));
        raw.write("{\"id\": \"sur-2\", \"text\": \"Lithium ".getBytes(StandardCharsets.UTF_8));
        raw.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF});
        raw.write(" toxicity.\"}\n".getBytes(StandardCharsets.UTF_8));
        certain.add("sur-2");
        Files.write(in.resolve("surrogates.jsonl"), raw.toByteArray());

        // 3. A 1 MB abstract, empty and blank abstracts, a record with no abstract at all.
        Random rnd = new Random(8);
        StringBuilder big = new StringBuilder();
        String[] words = {"aspirin", "induced", "asthma", "in", "patients", "with", "renal", "failure", "(", ")", ",", "."};
        while (big.length() < 1 << 20) {
            big.append(words[rnd.nextInt(words.length)]).append(' ');
        }
        Files.writeString(in.resolve("sizes.jsonl"), line("big-1", "A very long abstract", big.toString())
                + line("empty-1", "Title only", "") + line("blank-1", "", " \t ") + line("none-1", "No abstract", null));
        certain.addAll(List.of("big-1", "empty-1", "blank-1", "none-1"));

        // 4. Duplicate PMIDs (the same id twice, and an id with a version suffix) and a non-JSON line.
        Files.writeString(in.resolve("dups.jsonl"), line("dup-1", "First", "Heparin-induced thrombocytopenia.")
                + line("dup-1", "Second", "Heparin-induced thrombocytopenia, revised.")
                + line("dup-1.2", "Versioned", "Heparin.") + "{\"id\": \"broken\", \"text\": \"no closing brace\"\n"
                + "this is not json at all\n");
        certain.addAll(List.of("dup-1", "dup-1.2"));

        String out = dir.resolve("out").toString();
        EnrichSummary s = enrich(List.of(in.toString()), CorpusFormat.JSONL, out);
        System.err.println("corrupt JSONL catalogue: " + s.describe());
        assertAccounted(s, out);
        Set<String> seen = new HashSet<>(spark.read().parquet(out).select("id").as(Encoders.STRING()).collectAsList());
        List<String> quarantinedRaw = spark.read().json(out + "/_quarantine").toJSON().collectAsList();
        quarantinedRaw.forEach(q -> System.err.println("quarantined: " + (q.length() > 300 ? q.substring(0, 300) + "..." : q)));
        for (String id : certain) {
            assertTrue(seen.contains(id) || quarantinedRaw.stream().anyMatch(q -> q.contains(id)),
                    id + " is neither written nor quarantined");
        }
        // ids in the output are unique: the second dup-1 is counted as an older version, not written twice
        assertEquals(1, spark.read().parquet(out).filter("id = 'dup-1'").count());
        assertEquals(1, s.superseded(), s.describe());
        assertTrue(s.quarantined() >= 3, "the non-JSON lines, the missing abstract and the cut gzip: " + s.describe());
    }

    @Test
    void pubTatorFileWithABrokenOffsetLine(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("docs.pubtator");
        Files.writeString(in, "11|t|Aspirin and asthma.\n11|a|Aspirin induced asthma in two patients.\n"
                + "11\t0\t7\tAspirin\tChemical\tD001241\n\n"
                + "12|t|Lithium\n12|a|Lithium toxicity.\n12\tzero\t7\tLithium\tChemical\tD008094\n\n"
                + "13|t|Heparin\n13|a|Heparin-induced thrombocytopenia.\n13\t0\n");
        String out = dir.resolve("out").toString();
        EnrichSummary s = enrich(List.of(in.toString()), CorpusFormat.PUBTATOR, out);
        assertAccounted(s, out);
        assertEquals(3, s.read());
        assertEquals(1, s.written());
        assertEquals(2, s.quarantined());
    }
}
