package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.corpus.ReadOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enrich job over real corpus folders without --format: a folder laid out like NLM's FTP directory
 * (README.txt, pubmedYYnNNNN.xml.gz, .md5 beside each), --verify-md5, and every format's real files in
 * one folder. Expected counts were read off the raw files (see src/test/resources/corpora/README.md).
 */
class RealCorpusEnrichTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TinyModelSpark tiny;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        tiny = TinyModelSpark.start("real-corpus-enrich-test");
        spark = tiny.spark();
    }

    @AfterAll
    static void stop() {
        tiny.stop();
    }

    static Path corpora() {
        try {
            return Path.of(RealCorpusEnrichTest.class.getResource("/corpora").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the real NLM files as NLM lays them out, README.txt included. */
    private static Path nlmFolder(Path dir) throws IOException {
        Path baseline = Files.createDirectories(dir.resolve("baseline"));
        try (var files = Files.list(corpora().resolve("nlm-dir"))) {
            for (Path f : files.toList()) {
                Files.copy(f, baseline.resolve(f.getFileName().toString()));
            }
        }
        Files.writeString(baseline.resolve("README.txt"), "PubMed baseline and update files; see the .md5 files.\n");
        return baseline;
    }

    private EnrichSummary run(Path in, String out, ReadOptions options) {
        return new EnrichJob(List.of(in.toString()), CorpusFormat.AUTO, out, "jsonl",
                tiny.models(), List.of(), 8, WriteMode.ERROR)
                .readOptions(options).run(spark, tiny.config(), tiny.tokenizer());
    }

    @Test
    void nlmFolderIsReadWithoutFormatOrQuarantineAndItsNonDataFilesAreCounted(@TempDir Path dir) throws IOException {
        Path in = nlmFolder(dir);
        String out = dir.resolve("out").toString();
        EnrichSummary s = run(in, out, ReadOptions.DEFAULT);
        // pubmed26n1334: 30 articles, 3 without any abstract; pubmed26n1335: 30 articles, 6 DeleteCitation PMIDs
        // that name none of the 60.
        assertEquals(60, s.read(), s.describe());
        assertEquals(57, s.written(), s.describe());
        assertEquals(0, s.quarantined(), s.describe());
        assertEquals(3, s.skippedNoAbstract(), s.describe());
        assertEquals(6, s.deleteEntries(), s.describe());
        assertEquals(0, s.deleted() + s.superseded());
        assertTrue(s.balanced());
        assertEquals(List.of("README.txt", "pubmed26n1334.xml.gz.md5", "pubmed26n1335.xml.gz.md5"),
                s.skippedFiles().stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).toList());
        for (String year : List.of("2016", "2024", "2025", "2026")) {
            assertTrue(Files.isDirectory(Path.of(out, "year=" + year)), "partitioned by year: " + year);
        }
        assertEquals(57, spark.read().json(out).count());
        assertEquals("OtherAbstract", spark.read().json(out).filter("id = '41411010'").first().getAs("abstract_source"));
        JsonNode summary = JSON.readTree(Path.of(out, "_SUMMARY.json").toFile());
        assertEquals(3, summary.get("counts").get("skipped_files").asInt());
        assertEquals(3, summary.get("skipped_files").size());
        assertFalse(Files.exists(Path.of(out, "_quarantine")) && spark.read().json(out + "/_quarantine").count() > 0);
    }

    @Test
    void verifyMd5PassesTheRealFilesAndQuarantinesOneWithAFlippedByte(@TempDir Path dir) throws IOException {
        Path in = nlmFolder(dir);
        EnrichSummary ok = run(in, dir.resolve("ok").toString(), ReadOptions.DEFAULT.withVerifyMd5(true));
        assertEquals(0, ok.quarantined(), ok.describe());
        assertEquals(57, ok.written());

        Path update = in.resolve("pubmed26n1335.xml.gz");
        byte[] b = Files.readAllBytes(update);
        b[b.length / 3] ^= 0x40;
        Files.write(update, b);
        String out = dir.resolve("flipped").toString();
        EnrichSummary s = run(in, out, ReadOptions.DEFAULT.withVerifyMd5(true));
        assertEquals(1, s.quarantined(), s.describe());
        assertEquals(27, s.written(), s.describe()); // only pubmed26n1334's 30 minus its 3 without abstract
        assertEquals(0, s.deleteEntries(), "nothing is read from a file that fails its checksum");
        assertTrue(s.balanced());
        Row q = spark.read().json(out + "/_quarantine").first();
        assertTrue(q.<String>getAs("source").endsWith("pubmed26n1335.xml.gz"));
        assertTrue(q.<String>getAs("error").contains("does not match 88b74979343252faa848a06d7c6aa3ea"), q.toString());
    }

    @Test
    void everyRealFileOfEveryFormatInOneFolderIsReadFilePerFile(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("mixed"));
        List<String> names = new ArrayList<>();
        for (String sub : List.of("pubmed", "pubtator", "bioc-xml")) {
            try (var files = Files.list(corpora().resolve(sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, in.resolve(f.getFileName().toString()));
                    names.add(f.getFileName().toString());
                }
            }
        }
        String out = dir.resolve("out").toString();
        EnrichSummary s = run(in, out, ReadOptions.DEFAULT);
        // Records by file (read off the raw files): pubmed24n1220 30, medline16n0902 cut 20, test_current_medline 4,
        // BioRED PubTator 8, CDR PubTator 10, tmVar3 8, BioRED BioC XML 5, CDR BioC XML 6 = 91. The same PMIDs in two
        // files of one corpus (CDR PubTator and BioC XML share 6, BioRED 5) keep the later file's copy.
        assertEquals(91, s.read(), s.describe());
        assertEquals(0, s.quarantined(), s.describe());
        assertEquals(11, s.superseded(), s.describe());
        assertEquals(7, s.skippedNoAbstract(), s.describe()); // pubmed24n1220: 6, test_current_medline: 1
        assertEquals(1, s.deleteEntries());
        assertEquals(91 - 11 - 7, s.written(), s.describe());
        assertTrue(s.balanced());
    }
}
