package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that writes no document (a truncated download whose only content is a quarantine row) is a
 * normal outcome in every layout and output format: its counts balance, _SUMMARY.json is written, and an
 * incremental run over that output afterwards works.
 */
class ZeroWrittenRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TinyModelSpark tiny;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        tiny = TinyModelSpark.start("zero-written-test");
        spark = tiny.spark();
    }

    @AfterAll
    static void stop() {
        tiny.stop();
    }

    private EnrichSummary run(Path in, String out, String outputFormat, PartitionBy layout, WriteMode mode) {
        return new EnrichJob(List.of(in.toString()), CorpusFormat.AUTO, out, outputFormat,
                tiny.models(), List.of(), 8, mode).partitionBy(layout)
                .run(spark, tiny.config(), tiny.tokenizer());
    }

    @Test
    void aRunThatWritesNothingEndsNormallyInEveryLayoutAndFormat(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        // The first bytes of a gzip member and nothing more: a download cut short.
        Files.write(in.resolve("pubmed25n0001.xml.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
        for (String format : List.of("parquet", "jsonl")) {
            for (PartitionBy layout : List.of(PartitionBy.YEAR, PartitionBy.FILE, PartitionBy.NONE)) {
                String out = dir.resolve(format + "-" + layout).toString();
                EnrichSummary s = run(in, out, format, layout, WriteMode.ERROR);
                String what = format + "/" + layout + ": " + s.describe();
                assertEquals(1, s.read(), what);
                assertEquals(0, s.written(), what);
                assertEquals(1, s.quarantined(), what);
                assertTrue(s.balanced(), what);
                JsonNode counts = JSON.readTree(Path.of(out, "_SUMMARY.json").toFile()).get("counts");
                assertEquals(0, counts.get("written").asLong(), what);
                assertEquals(1, counts.get("quarantined").asLong(), what);
                assertEquals(1, spark.read().json(out + "/_quarantine").count(), what);
            }
        }
        // A later incremental run over an output that holds no document yet adds the new one, also when its
        // update file deletes PMIDs (which first looks them up in the output written so far).
        Path good = Files.createDirectories(dir.resolve("good"));
        Files.writeString(good.resolve("pubmed25n0002.xml"), "<PubmedArticleSet><PubmedArticle><MedlineCitation>"
                + "<PMID Version=\"1\">1</PMID><Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>An abstract."
                + "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
                + "<DeleteCitation><PMID Version=\"1\">9</PMID></DeleteCitation></PubmedArticleSet>\n");
        for (String format : List.of("parquet", "jsonl")) {
            EnrichSummary s = run(good, dir.resolve(format + "-NONE").toString(), format, PartitionBy.NONE,
                    WriteMode.INCREMENTAL);
            assertEquals(1, s.written(), format + ": " + s.describe());
            assertTrue(s.balanced());
        }
    }
}
