package org.biogpt.spark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.enrich.EnrichJob;
import org.biogpt.spark.jobs.enrich.EnrichModels;
import org.biogpt.spark.jobs.enrich.EnrichTask;
import org.biogpt.spark.jobs.enrich.WriteMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enrich --mode incremental} as its own driver JVM, SIGKILLed after it committed part of its
 * output and while it staged more, then run again: the output equals an undisturbed run, every id
 * exactly once.
 */
@Tag("cluster")
class DriverCrashTest {
    private static final int COMMIT_EVERY = 25;

    @Test
    void incrementalRunKilledMidWayThenRerunEqualsAnUndisturbedRun(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("corpus");
        List<String> ids = SampleCorpus.split(input, 4);
        Path crashed = dir.resolve("crashed");

        // 1. The driver dies (SIGKILL) while a batch is staged, after at least one was committed. A kill
        // can still land just after the staged batch was committed and before the next is staged (CI
        // hit that): nothing is left to recover then, so a new driver runs on the same output and is
        // killed the same way, up to 3 times.
        List<String> leftovers = List.of();
        for (int attempt = 1; attempt <= 3 && !hasStagedBatch(leftovers); attempt++) {
            Path logFile = dir.resolve("killed-" + attempt + ".log");
            Process driver = driver(input, crashed, logFile);
            long deadline = System.currentTimeMillis() + 300_000;
            while (committedFiles(crashed).isEmpty() || !stagingInFlight(crashed)) {
                assertTrue(driver.isAlive(), "the driver exited before a batch was committed and another staged:\n" + log(logFile));
                assertTrue(System.currentTimeMillis() < deadline, "nothing committed and staged in 300 s");
                Thread.sleep(5);
            }
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean-up
            assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, driver.exitValue(), "the driver finished on its own before the kill");
            leftovers = listAll(crashed);
            System.err.printf("kill %d left behind: %s%n", attempt, leftovers);
        }
        assertTrue(hasStagedBatch(leftovers), "3 kills left no uncommitted batch behind, so nothing tested recovery: " + leftovers);

        SparkSession spark = SparkSessions.create("driver-crash-check", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
        try {
            // Only the files in the output folder itself count as committed (not what was staged).
            long committed = spark.read().parquet(committedFiles(crashed).stream().map(Path::toString)
                    .toArray(String[]::new)).count();
            System.err.printf("driver killed with %d of %d documents committed; left behind: %s%n", committed,
                    ids.size(), leftovers);
            assertTrue(committed > 0 && committed < ids.size(), "committed " + committed);

            // 2. The re-run recovers and adds only what is missing.
            Process second = driver(input, crashed, dir.resolve("second.log"));
            assertTrue(second.waitFor(300, TimeUnit.SECONDS), "re-run did not finish");
            String secondLog = log(dir.resolve("second.log"));
            assertEquals(0, second.exitValue(), secondLog);
            assertTrue(secondLog.contains("already present " + committed), secondLog);
            assertFalse(hasStagedBatch(listAll(crashed)), "leftovers after the re-run: " + listAll(crashed));

            // 3. An undisturbed run of the same job.
            String reference = dir.resolve("reference").toString();
            Path lm = SampleCorpus.model("biogpt-tiny");
            new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, reference, "parquet",
                    EnrichModels.parse(SampleCorpus.modelSpecs()), EnrichTask.parseList("entities,classify,embed"), 8,
                    WriteMode.INCREMENTAL).withCommitEvery(COMMIT_EVERY)
                    .run(spark, BioGptConfig.load(lm), BioGptTokenizer.load(lm));

            List<String> got = EnrichOnClusterTest.rows(spark, crashed.toString());
            List<String> want = EnrichOnClusterTest.rows(spark, reference);
            assertEquals(ids.size(), got.size(), "rows lost or duplicated");
            assertEquals(ids.size(), spark.read().parquet(crashed.toString()).select("id").distinct().count(),
                    "duplicate ids");
            Rows.assertSame(want, got, 1e-4);
        } finally {
            spark.stop();
        }
    }

    /** {@code java -cp <test classpath> org.biogpt.spark.jobs.Main enrich --mode incremental ...} in local mode. */
    private static Process driver(Path input, Path output, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Dai.djl.") || a.startsWith("-DDJL_CACHE_DIR=")
                    || a.startsWith("-Dlog4j2.configurationFile=")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.biogpt.spark.jobs.Main",
                "enrich", "--input", input.toString(), "--format", "jsonl", "--output", output.toString(),
                "--mode", "incremental", "--commit-every", Integer.toString(COMMIT_EVERY), "--master", "local[2]",
                "--tasks", "entities,classify,embed"));
        for (String m : SampleCorpus.modelSpecs()) {
            cmd.add("--model");
            cmd.add(m);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    private static List<Path> committedFiles(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith("part-"))
                    .collect(Collectors.toList());
        }
    }

    private static boolean hasStagedBatch(List<String> listing) {
        return listing.stream().anyMatch(p -> p.startsWith("_staging/") && p.length() > "_staging/".length());
    }

    private static boolean stagingInFlight(Path out) throws IOException {
        Path staging = out.resolve("_staging");
        if (!Files.isDirectory(staging)) {
            return false;
        }
        try (Stream<Path> s = Files.list(staging)) {
            return s.findAny().isPresent();
        }
    }

    private static List<String> listAll(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> !p.equals(out))
                    .map(p -> out.relativize(p) + (Files.isDirectory(p) ? "/" : "")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String log(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(no log)";
    }
}
