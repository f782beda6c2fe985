package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enrich never deletes what it did not write: --mode overwrite needs an earlier enrich output, inputs and output never overlap. */
class OverwriteGuardTest {
    private static SparkSession spark;
    private static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        model = Fixtures.model("causal-lm");
        spark = SparkSessions.create("overwrite-guard-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private Path corpus(Path folder) throws IOException {
        Files.createDirectories(folder);
        return Files.writeString(folder.resolve("docs.jsonl"), "{\"id\": \"1\", \"title\": \"t\", \"text\": \"Aspirin helps.\"}\n"
                + "{\"id\": \"2\", \"title\": \"u\", \"text\": \"Cocaine harms.\"}\n");
    }

    private EnrichSummary run(String input, String output, WriteMode mode, boolean force) throws IOException {
        return new EnrichJob(List.of(input), CorpusFormat.JSONL, output, "parquet",
                EnrichModels.parse(List.of(model.toString())), List.of(), 8, mode).force(force)
                .run(spark, BioGptConfig.load(model), BioGptTokenizer.load(model));
    }

    @Test
    void overwriteRefusesAFolderNoEnrichWroteAndNamesForce() throws IOException {
        Path in = corpus(dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("thesis"));
        Files.writeString(out.resolve("chapter1.tex"), "years of work");
        Files.createDirectories(out.resolve("figures"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(in.toString(), out.toString(), WriteMode.OVERWRITE, false));
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains("chapter1.tex")
                && e.getMessage().contains("figures/"), e.getMessage());
        assertEquals("years of work", Files.readString(out.resolve("chapter1.tex")));
        assertTrue(Files.isDirectory(out.resolve("figures")));

        Path single = Files.writeString(dir.resolve("a-file"), "data");
        IllegalArgumentException file = assertThrows(IllegalArgumentException.class,
                () -> run(in.toString(), single.toString(), WriteMode.OVERWRITE, false));
        assertTrue(file.getMessage().contains("it is a file"), file.getMessage());
        assertEquals("data", Files.readString(single));
    }

    @Test
    void overwriteReplacesAnEarlierEnrichOutputButNotOneWithForeignFilesUnlessForced() throws IOException {
        Path in = corpus(dir.resolve("in"));
        Path out = dir.resolve("out");
        assertEquals(2, run(in.toString(), out.toString(), WriteMode.ERROR, false).written());
        assertEquals(2, run(in.toString(), out.toString(), WriteMode.OVERWRITE, false).written(), "an enrich output is replaced");

        Files.writeString(out.resolve("my-notes.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(in.toString(), out.toString(), WriteMode.OVERWRITE, false));
        assertTrue(e.getMessage().contains("my-notes.txt") && e.getMessage().contains("--force"), e.getMessage());
        assertTrue(Files.exists(out.resolve("my-notes.txt")));

        assertEquals(2, run(in.toString(), out.toString(), WriteMode.OVERWRITE, true).written());
        assertFalse(Files.exists(out.resolve("my-notes.txt")), "--force replaces the folder as asked");
    }

    @Test
    void aSummaryFromAnotherProgramIsNotEnoughToOverwrite() throws IOException {
        Path in = corpus(dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("other-job"));
        Files.writeString(out.resolve("_SUMMARY.json"), "{\"rows\": 5}");
        Files.writeString(out.resolve("part-00000.parquet"), "not ours");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(in.toString(), out.toString(), WriteMode.OVERWRITE, false));
        assertTrue(e.getMessage().contains("not written by enrich"), e.getMessage());
        assertEquals("not ours", Files.readString(out.resolve("part-00000.parquet")));
    }

    @Test
    void inputAndOutputMayNotOverlapInAnyModeEvenForcedOrThroughALink() throws IOException {
        Path inDir = dir.resolve("corpus");
        Path file = corpus(inDir);
        Path link = Files.createSymbolicLink(dir.resolve("corpus-link"), inDir);
        List<String[]> cases = List.of(
                new String[] {inDir.toString(), inDir.toString(), "is"},
                new String[] {inDir.toString(), inDir.resolve("enriched").toString(), "is inside"},
                new String[] {file.toString(), inDir.toString(), "contains"},
                new String[] {inDir + "/*.jsonl", inDir.toString(), "is"},
                new String[] {"file://" + file, link.toString(), "contains"},
                new String[] {link.toString(), inDir.resolve("out").toString(), "is inside"});
        for (WriteMode mode : WriteMode.values()) {
            for (String[] c : cases) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> run(c[0], c[1], mode, true), mode + " " + String.join(" -> ", c));
                assertTrue(e.getMessage().contains("--output " + c[1] + " " + c[2] + " --input " + c[0]), e.getMessage());
            }
        }
        assertTrue(Files.readString(file).contains("Aspirin"), "the input is untouched");
        assertEquals(List.of("docs.jsonl"), Files.list(inDir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void hadoopPathsOverlapOnlyOnTheSameFileSystem() {
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path("hdfs://nn:8020/data/pubmed");
        assertEquals("is inside", OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("hdfs://nn:8020/data/pubmed/out")));
        assertEquals("contains", OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("hdfs://nn:8020/data")));
        assertEquals("is", OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("hdfs://nn:8020/data/pubmed/")));
        assertNull(OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("hdfs://nn:8020/data/pubmed-out")));
        assertNull(OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("hdfs://other:8020/data/pubmed/out")));
        assertNull(OutputGuard.overlap(in, new org.apache.hadoop.fs.Path("s3a://nn/data/pubmed/out")));
        assertEquals("s3a://bucket/in", OutputGuard.withoutGlob("s3a://bucket/in/*/part-*.xml.gz"));
    }
}
