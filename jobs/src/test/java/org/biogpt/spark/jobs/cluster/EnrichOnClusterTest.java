package org.biogpt.spark.jobs.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.enrich.EnrichJob;
import org.biogpt.spark.jobs.enrich.EnrichModels;
import org.biogpt.spark.jobs.enrich.EnrichSummary;
import org.biogpt.spark.jobs.enrich.EnrichTask;
import org.biogpt.spark.jobs.enrich.WriteMode;
import org.biogpt.spark.pipeline.BioGptEmbedder;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enrich job and the model stages on a real two-executor cluster: models load once per executor
 * JVM, and a {@code kill -9} of an executor in the middle of enrich changes nothing in the output.
 */
@LocalCluster
class EnrichOnClusterTest {
    private static final String NER = SampleCorpus.model("biogpt-tiny-ner").toString();
    private static final String CLS = SampleCorpus.model("biogpt-tiny-cls").toString();
    private static final String LM = SampleCorpus.model("biogpt-tiny").toString();

    @TempDir
    static Path dir;
    private static Path input;
    private static List<String> ids;
    private static String baseline;

    @BeforeAll
    static void undisturbedRun(LocalClusterExtension.Cluster cluster) throws Exception {
        input = dir.resolve("corpus");
        ids = SampleCorpus.split(input, 8); // 8 files of ~34 KB = 8 tasks in the write stage, over both executors
        cluster.spark().conf().set("spark.sql.files.maxPartitionBytes", "40k"); // else Spark packs them into 2
        baseline = dir.resolve("baseline").toString();
        long t0 = System.nanoTime();
        EnrichSummary s = enrich(cluster.spark(), baseline);
        System.err.printf("undisturbed enrich on the cluster: %s (%.1f s)%n", s.describe(), (System.nanoTime() - t0) / 1e9);
        assertEquals(ids.size(), s.written());
    }

    private static EnrichSummary enrich(SparkSession spark, String out) throws Exception {
        Path lm = Path.of(LM);
        return new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, out, "parquet",
                EnrichModels.parse(SampleCorpus.modelSpecs()), EnrichTask.parseList("entities,classify,embed"), 8,
                WriteMode.ERROR).run(spark, BioGptConfig.load(lm), BioGptTokenizer.load(lm));
    }

    /** Output rows as JSON, ordered by id: equal lists = same rows, same values, no duplicates. */
    static List<String> rows(SparkSession spark, String out) {
        return spark.read().parquet(out).orderBy("id").toJSON().collectAsList();
    }

    @Test
    void eachExecutorJvmLoadsEachModelOnceAcrossStagesJobsAndAReplacement(LocalClusterExtension.Cluster cluster)
            throws Exception {
        SparkSession spark = cluster.spark();
        long self = ProcessHandle.current().pid();
        // Two jobs of three model stages with shuffles between them, after the enrich run of @BeforeAll.
        Map<Long, int[]> first = probe(spark);
        Map<Long, int[]> second = probe(spark);
        for (Map<Long, int[]> seen : List.of(first, second)) {
            assertEquals(2, seen.size(), "tasks ran in 2 executor JVMs: " + seen.keySet());
            assertFalse(seen.containsKey(self), "a task ran in the test JVM");
            assertTrue(cluster.executorPids().containsAll(seen.keySet()), seen.keySet() + " vs " + cluster.executorPids());
            seen.forEach((pid, loads) -> assertEquals("[1, 1, 1]", java.util.Arrays.toString(loads),
                    "loads of (ner, cls, lm) in executor JVM " + pid));
        }

        // An idle executor killed: its replacement JVM loads each model once as well.
        long victim = cluster.executorPids().get(0);
        cluster.killExecutor(victim);
        awaitReplacement(cluster, victim);
        // The scheduler may give a short job to the warm survivor only: probe until both JVMs took tasks.
        Map<Long, int[]> after = probe(spark);
        for (int i = 0; i < 10 && after.size() < 2; i++) {
            after = probe(spark);
        }
        assertFalse(after.containsKey(victim));
        Set<Long> fresh = new HashSet<>(after.keySet());
        fresh.removeAll(first.keySet());
        assertEquals(1, fresh.size(), "the replacement executor ran tasks: " + after.keySet());
        after.forEach((pid, loads) -> assertEquals("[1, 1, 1]", java.util.Arrays.toString(loads),
                "loads of (ner, cls, lm) in executor JVM " + pid));
    }

    @Test
    void killingAnExecutorMidEnrichLosesAndDuplicatesNothing(LocalClusterExtension.Cluster cluster) throws Exception {
        SparkSession spark = cluster.spark();
        String out = dir.resolve("killed").toString();
        FaultListener faults = new FaultListener();
        spark.sparkContext().addSparkListener(faults);
        try {
            long t0 = System.nanoTime();
            CompletableFuture<EnrichSummary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return enrich(spark, out);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // The model runs in the write job: wait for its temporary folder and for tasks on both executors.
            long deadline = System.currentTimeMillis() + 120_000;
            while (!(Files.isDirectory(Path.of(out, "_temporary")) && runningTasks(spark) >= 2)) {
                assertFalse(run.isDone(), "enrich finished before the write stage was seen");
                assertTrue(System.currentTimeMillis() < deadline, "write stage never started");
                Thread.sleep(20);
            }
            Thread.sleep(1000);
            long victim = cluster.executorPids().get(0);
            cluster.killExecutor(victim);
            double killedAt = (System.nanoTime() - t0) / 1e9;
            EnrichSummary s = run.get(5, TimeUnit.MINUTES);
            System.err.printf("enrich with executor %d killed at %.1f s: %s; %s%n", victim, killedAt, s.describe(), faults);

            assertTrue(faults.failedAttempts.get() >= 1, "no task attempt failed: the kill missed: " + faults);
            assertTrue(faults.succeededRetries.get() >= 1, "no retried attempt succeeded: " + faults);
            assertTrue(faults.executorsRemoved.get() >= 1, faults.toString());
            assertTrue(faults.failureReasons.stream().anyMatch(r -> r.contains("ExecutorLostFailure")), faults.toString());
            assertEquals(ids.size(), s.written());
            assertEquals(0, s.quarantined());
            List<String> got = rows(spark, out);
            List<String> want = rows(spark, baseline);
            assertEquals(ids.size(), got.size(), "rows lost or duplicated");
            assertEquals(ids.size(), spark.read().parquet(out).select("id").distinct().count(), "duplicate ids");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i), got.get(i), "row " + i + " differs from the undisturbed run");
            }
        } finally {
            spark.sparkContext().removeSparkListener(faults);
        }
    }

    private static int runningTasks(SparkSession spark) {
        int n = 0;
        for (int stage : spark.sparkContext().statusTracker().getActiveStageIds()) {
            var info = spark.sparkContext().statusTracker().getStageInfo(stage);
            if (info.isDefined()) {
                n += info.get().numActiveTasks();
            }
        }
        return n;
    }

    private static void awaitReplacement(LocalClusterExtension.Cluster cluster, long victim) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            List<Long> pids = cluster.executorPids();
            if (pids.size() == cluster.workers() && !pids.contains(victim)
                    && cluster.registeredExecutors() == cluster.workers()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no replacement executor: pids " + pids + ", registered "
                        + cluster.registeredExecutors() + "\n" + cluster.executorStderr());
            }
            Thread.sleep(50);
        }
    }

    /** Runs NER, a shuffle, classification and embedding over the corpus; returns per executor pid the max load counts. */
    private static Map<Long, int[]> probe(SparkSession spark) {
        Dataset<Row> docs = spark.read().json(input.toString())
                .select(col("id"), concat_ws(" ", col("title"), col("text")).as("source")).repartition(8);
        Dataset<Row> t = new EntityTagger().setModelPath(NER).setInputCol("source").setOutputCol("entities")
                .setTruncation("truncate").transform(docs).repartition(8);
        t = new DocumentClassifier().setModelPath(CLS).setInputCol("source").setOutputCol("classification")
                .setTruncation("truncate").transform(t);
        t = new BioGptEmbedder().setModelPath(LM).setInputCol("source").setOutputCol("embedding")
                .setTruncation("truncate").transform(t);
        List<Row> reports = t.mapPartitions(new LoadProbe(NER, CLS, LM), Encoders.row(LoadProbe.SCHEMA)).collectAsList();
        Map<Long, int[]> byPid = new TreeMap<>();
        int rows = 0;
        for (Row r : reports) {
            int[] m = byPid.computeIfAbsent(r.getLong(0), k -> new int[3]);
            for (int i = 0; i < 3; i++) {
                m[i] = Math.max(m[i], r.getInt(2 + i));
            }
            rows += r.getInt(5);
        }
        assertEquals(ids.size(), rows);
        return byPid;
    }

    /**
     * Drains its partition (so the model stages before it have run in this task), then reports the JVM's
     * pid, executor id and {@link ModelCache#loadCount} of each model, as the stages key them.
     */
    static final class LoadProbe implements MapPartitionsFunction<Row, Row> {
        static final StructType SCHEMA = new StructType().add("pid", DataTypes.LongType)
                .add("executor", DataTypes.StringType).add("ner", DataTypes.IntegerType)
                .add("cls", DataTypes.IntegerType).add("lm", DataTypes.IntegerType).add("rows", DataTypes.IntegerType);
        private final List<String> paths;

        LoadProbe(String... paths) {
            this.paths = List.of(paths);
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) throws Exception {
            int rows = 0;
            while (input.hasNext()) {
                input.next();
                rows++;
            }
            Thread.sleep(100); // keep both executors busy so that each gets tasks
            List<Object> v = new ArrayList<>();
            v.add(ProcessHandle.current().pid());
            v.add(SparkEnv.get().executorId());
            for (String p : paths) {
                v.add(ModelCache.loadCount(ModelSpec.cpu(p)));
            }
            v.add(rows);
            return List.of(RowFactory.create(v.toArray())).iterator();
        }
    }
}
