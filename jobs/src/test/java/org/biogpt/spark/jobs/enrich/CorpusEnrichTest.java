package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.ColumnNames;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enrich job over PubMed XML (baseline + update + broken files), the PubMed sample of sample-data/,
 * and JSONL with custom column names: counts balance, each fate is counted, output partitioned.
 */
class CorpusEnrichTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of(System.getProperty("user.dir"), "..", "sample-data", "corpus");
    private static SparkSession spark;
    private static Path model;
    private static BioGptConfig config;
    private static BioGptTokenizer tokenizer;

    @BeforeAll
    static void start() throws IOException {
        model = Fixtures.model("causal-lm");
        config = BioGptConfig.load(model);
        tokenizer = BioGptTokenizer.load(model);
        spark = SparkSessions.create("corpus-enrich-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String article(String pmid, int version, int year, String title, String abstractText) {
        return "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"" + version + "\">" + pmid
                + "</PMID><Article><Journal><JournalIssue><PubDate><Year>" + year + "</Year></PubDate></JournalIssue>"
                + "<Title>J Test</Title></Journal><ArticleTitle>" + title + "</ArticleTitle>"
                + (abstractText == null ? "" : "<Abstract><AbstractText>" + abstractText + "</AbstractText></Abstract>")
                + "</Article></MedlineCitation></PubmedArticle>\n";
    }

    private static String set(String body) {
        return "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n" + body + "</PubmedArticleSet>\n";
    }

    private static void gzip(Path p, String s) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private EnrichJob job(List<String> in, CorpusFormat f, String out, String outFmt, WriteMode mode) {
        return new EnrichJob(in, f, out, outFmt, EnrichModels.parse(List.of(model.toString())), List.of(), 8, mode);
    }

    @Test
    void baselineUpdateAndBrokenFilesEveryRecordAccountedFor(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("pubmed"));
        Files.writeString(in.resolve("pubmed24n0001.xml"), set(
                article("100", 1, 2001, "Hundred.", "Old abstract.")
                + article("101", 1, 2002, "Deleted later.", "Gone.")
                + article("102", 1, 2003, "A letter.", null)
                + article("103", 1, 2003, "Kept.", "Abstract 103.")));
        gzip(in.resolve("pubmed24n0002.xml.gz"), set(
                article("100", 2, 2001, "Hundred, revised.", "New abstract.")
                + "<DeleteCitation><PMID Version=\"1\">101</PMID><PMID Version=\"1\">107</PMID></DeleteCitation>\n"
                + article("104", 1, 2004, "Update.", "Abstract 104.")
                + article("abc", 1, 2004, "Bad PMID.", "x")));
        Files.write(in.resolve("pubmed24n0003.xml.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        String fourth = set(article("107", 1, 2005, "Re-added after its deletion.", "Abstract 107.")
                + article("105", 1, 2005, "Last good one.", "Abstract 105.")
                + article("106", 1, 2005, "Cut", "never finished"));
        Files.writeString(in.resolve("pubmed24n0004.xml"), fourth.substring(0, fourth.indexOf("never finished")));
        String out = dir.resolve("out").toString();

        EnrichSummary s = job(List.of(in.toString()), CorpusFormat.PUBMED, out, "parquet", WriteMode.ERROR)
                .run(spark, config, tokenizer);

        assertEquals(11, s.read(), s.describe());
        assertEquals(5, s.written(), s.describe());
        assertEquals(3, s.quarantined(), s.describe());
        assertEquals(1, s.deleted(), s.describe());
        assertEquals(1, s.superseded(), s.describe());
        assertEquals(1, s.skippedNoAbstract(), s.describe());
        assertEquals(2, s.deleteEntries(), s.describe());
        assertTrue(s.balanced());

        Map<String, Row> rows = spark.read().parquet(out).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("id"), r -> r));
        assertEquals(List.of("100", "103", "104", "105", "107"), rows.keySet().stream().sorted().toList());
        assertEquals("New abstract.", rows.get("100").getAs("text"));
        assertEquals(2, rows.get("100").<Integer>getAs("version"));
        assertEquals(2003, rows.get("103").<Integer>getAs("year"));
        assertEquals("J Test", rows.get("104").getAs("journal"));
        assertEquals("pubmed24n0002.xml.gz", rows.get("104").getAs("input_file"));
        assertTrue(Files.isDirectory(Path.of(out, "year=2001")), "partitioned by year by default for PubMed");
        assertTrue(Files.isDirectory(Path.of(out, "year=2005")));

        List<Row> q = spark.read().json(out + "/_quarantine").orderBy("source").collectAsList();
        assertEquals(3, q.size());
        assertTrue(q.get(0).<String>getAs("error").contains("PMID 'abc' is not a number"), q.get(0).toString());
        assertTrue(q.get(1).<String>getAs("source").endsWith("pubmed24n0003.xml.gz"));
        assertTrue(q.get(1).<String>getAs("error").contains("corrupt or truncated compressed data"), q.get(1).toString());
        assertTrue(q.get(2).<String>getAs("source").endsWith("pubmed24n0004.xml"));
        assertTrue(q.get(2).<String>getAs("error").contains("malformed or truncated XML after 2 records"), q.get(2).toString());

        JsonNode summary = JSON.readTree(Path.of(out, "_SUMMARY.json").toFile()).get("counts");
        assertEquals(11, summary.get("read").asLong());
        assertEquals(1, summary.get("skipped_no_abstract").asLong());
        assertEquals(1, summary.get("superseded_versions").asLong());
        assertTrue(summary.get("balanced").asBoolean());

        // The nightly re-run over the same files adds nothing and still balances.
        EnrichSummary again = job(List.of(in.toString()), CorpusFormat.PUBMED, out, "parquet", WriteMode.INCREMENTAL)
                .run(spark, config, tokenizer);
        assertEquals(0, again.written());
        assertEquals(5, again.skipped());
        assertEquals(0, again.removedFromOutput(), "107 is deleted by 0002 but brought back by 0004: it stays");
        assertEquals(5, spark.read().parquet(out).count());

        // --keep-no-abstract keeps the letter; --partition-by file lays out one directory per input file.
        String out2 = dir.resolve("out2").toString();
        EnrichSummary kept = job(List.of(in.resolve("pubmed24n0001.xml").toString()), CorpusFormat.PUBMED, out2, "jsonl",
                WriteMode.ERROR).keepNoAbstract(true).partitionBy(PartitionBy.FILE).run(spark, config, tokenizer);
        assertEquals(4, kept.written());
        assertEquals(0, kept.skippedNoAbstract());
        assertTrue(Files.isDirectory(Path.of(out2, "input_file=pubmed24n0001.xml")));
    }

    @Test
    void nightlyUpdateDeletesPmidsWrittenByEarlierRuns(@TempDir Path dir) throws IOException {
        Path baseline = dir.resolve("pubmed24n0001.xml");
        Files.writeString(baseline, set(article("200", 1, 2010, "Stays.", "Abstract 200.")
                + article("201", 1, 2010, "Retracted later.", "Abstract 201.")
                + article("202", 1, 2011, "Also retracted.", "Abstract 202.")));
        Path update = dir.resolve("pubmed24n1300.xml");
        Files.writeString(update, set("<DeleteCitation><PMID Version=\"1\">201</PMID><PMID Version=\"1\">202</PMID>"
                + "<PMID Version=\"1\">999</PMID></DeleteCitation>\n" + article("203", 1, 2024, "New.", "Abstract 203.")));
        String out = dir.resolve("out").toString();
        assertEquals(3, job(List.of(baseline.toString()), CorpusFormat.PUBMED, out, "parquet", WriteMode.INCREMENTAL)
                .run(spark, config, tokenizer).written());
        EnrichSummary night = job(List.of(update.toString()), CorpusFormat.PUBMED, out, "parquet", WriteMode.INCREMENTAL)
                .run(spark, config, tokenizer);
        assertEquals(1, night.read());
        assertEquals(1, night.written());
        assertEquals(3, night.deleteEntries());
        assertEquals(2, night.removedFromOutput(), night.describe());
        assertEquals(List.of("200", "203"), spark.read().parquet(out).select("id").orderBy("id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(2010, spark.read().parquet(out).filter("id = '200'").first().<Integer>getAs("year"));
    }

    @Test
    void pubMedSampleEndToEnd(@TempDir Path dir) throws IOException {
        Map<String, String[]> jsonl = new HashMap<>();
        for (String line : Files.readAllLines(SAMPLE.resolve("bc5cdr-test-200.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            jsonl.put(n.get("id").asText(), new String[] {n.get("title").asText(), n.get("text").asText()});
        }
        String out = dir.resolve("out").toString();
        EnrichSummary s = job(List.of(SAMPLE.resolve("pubmed-bc5cdr-sample.xml.gz").toString()), CorpusFormat.guess(
                "pubmed-bc5cdr-sample.xml.gz"), out, "parquet", WriteMode.ERROR).run(spark, config, tokenizer);
        assertEquals(300, s.read());
        assertEquals(300, s.written());
        assertEquals(0, s.quarantined());
        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertEquals(300, rows.size());
        int compared = 0;
        for (Row r : rows) {
            String[] want = jsonl.get(r.<String>getAs("id"));
            if (want != null) {
                assertEquals(want[0].strip(), r.getAs("title"));
                assertEquals(want[1].replaceAll("\\s+", " ").strip(), r.getAs("text"));
                assertTrue(r.<Integer>getAs("token_count") > 10);
                compared++;
            }
        }
        assertEquals(200, compared, "the first 200 articles are the JSONL sample's documents");
    }

    @Test
    void jsonlWithCustomColumnNames(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("docs.jsonl"), "{\"pmid\": 11, \"headline\": \"Aspirin.\", \"body\": \"Aspirin induced asthma.\"}\n"
                + "{\"pmid\": 12, \"headline\": \"No body.\"}\n"
                + "not json at all\n");
        Path corrupt = Files.write(dir.resolve("more.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 9, 9, 9});
        String out = dir.resolve("out").toString();
        EnrichSummary s = job(List.of(in.toString(), corrupt.toString()), CorpusFormat.JSONL, out, "jsonl", WriteMode.ERROR)
                .columns(new ColumnNames("pmid", "headline", "body")).run(spark, config, tokenizer);
        assertEquals(4, s.read());
        assertEquals(1, s.written());
        assertEquals(3, s.quarantined());
        Row r = spark.read().json(out).collectAsList().get(0);
        assertEquals("11", r.getAs("id"));
        assertEquals("Aspirin.", r.getAs("title"));
        assertEquals("Aspirin induced asthma.", r.getAs("text"));
        List<String> reasons = spark.read().json(out + "/_quarantine").select("error").orderBy("error")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertTrue(reasons.get(0).startsWith("file quarantined: corrupt or truncated compressed data after 0 records"),
                reasons.toString());
        assertTrue(reasons.get(1).startsWith("missing text (column body), line 2"), reasons.toString());
        assertTrue(reasons.get(2).startsWith("not a valid JSON object: line 3: not json at all"), reasons.toString());
    }
}
