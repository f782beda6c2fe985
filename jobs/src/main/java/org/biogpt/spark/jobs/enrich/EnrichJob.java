package org.biogpt.spark.jobs.enrich;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.corpus.CorpusReader;
import org.biogpt.spark.udfs.TokenStatsFunction;
import org.biogpt.spark.udfs.model.DriverCheckpoint;

/**
 * The enrich job: corpus in, one row per document out (id, title, text, token_count,
 * exceeds_max_positions, with qa the question asked, then one column pair per model task: result
 * and error, e.g. relations_bc5cdr and relations_bc5cdr_error), bad records to
 * {@code _quarantine/} with their reason, and a {@code _SUMMARY.json} whose counts balance.
 */
public final class EnrichJob {
    private final List<String> inputs;
    private final CorpusFormat format;
    private final String output;
    private final String outputFormat;
    private final EnrichModels models;
    private final List<EnrichTask> tasks;
    private final int batchSize;
    private final WriteMode mode;
    private final String question;
    private final int maxNewTokens;

    public EnrichJob(List<String> inputs, CorpusFormat format, String output, String outputFormat, EnrichModels models,
                     List<EnrichTask> tasks, int batchSize, WriteMode mode) {
        this(inputs, format, output, outputFormat, models, tasks, batchSize, mode, null, DEFAULT_MAX_NEW_TOKENS);
    }

    /** The default of {@code --max-new-tokens}: the generating stages' default. */
    public static final int DEFAULT_MAX_NEW_TOKENS = org.biogpt.spark.udfs.sql.FunctionOptions.DEFAULT_MAX_NEW_TOKENS;

    /**
     * @param question     the question the {@code qa} task asks of every abstract (required with qa, else ignored)
     * @param maxNewTokens most tokens a relations task generates per document
     */
    public EnrichJob(List<String> inputs, CorpusFormat format, String output, String outputFormat, EnrichModels models,
                     List<EnrichTask> tasks, int batchSize, WriteMode mode, String question, int maxNewTokens) {
        this.inputs = List.copyOf(inputs);
        this.format = format;
        this.output = output;
        this.outputFormat = outputFormat;
        this.models = models;
        this.tasks = List.copyOf(tasks);
        this.batchSize = batchSize;
        this.mode = mode;
        this.question = question;
        this.maxNewTokens = maxNewTokens;
        boolean qa = tasks.stream().anyMatch(t -> t.kind().equals("qa"));
        if (qa && (question == null || question.isBlank())) {
            throw new IllegalArgumentException("task qa asks one question of every abstract: give it with --question \"...\"");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
    }

    public EnrichSummary run(String master, Map<String, String> sparkConf) {
        SparkSession spark = SparkSessions.create("biogpt-spark enrich", master, sparkConf);
        try {
            // The driver reads only config and tokenizer files (local, hdfs:, s3a:, --files), never weights.
            DriverCheckpoint checkpoint = DriverCheckpoint.open(models.defaultModel());
            return run(spark, checkpoint.config(), checkpoint.tokenizer());
        } finally {
            spark.stop();
        }
    }

    public EnrichSummary run(SparkSession spark, BioGptConfig config, BioGptTokenizer tokenizer) {
        long start = System.nanoTime();
        Broadcast<BioGptTokenizer> tok = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizer);
        Dataset<Row> docs = CorpusReader.read(spark, format, inputs.toArray(String[]::new))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long read = docs.count();
            Dataset<Row> good = docs.filter(col("error").isNull()).select("id", "title", "text");
            Dataset<Row> bad = docs.filter(col("error").isNotNull());
            long before = 0;
            if (mode == WriteMode.INCREMENTAL && exists(spark, output)) {
                Dataset<Row> done = readOutput(spark, output, outputFormat).select("id");
                before = done.count();
                // Ids already in the output are skipped, so a re-run after a crash or a nightly run adds no duplicates.
                good = good.join(done, good.col("id").equalTo(done.col("id")), "left_anti");
            }
            long toWrite = good.count();
            Dataset<Row> enriched = good.mapPartitions(
                    new TokenStatsFunction(tok, config.maxPositions()), Encoders.row(TokenStatsFunction.OUTPUT));
            if (tasks.stream().anyMatch(t -> t.kind().equals("qa"))) {
                enriched = enriched.withColumn("question", org.apache.spark.sql.functions.lit(question));
            }
            for (EnrichTask task : tasks) {
                enriched = EnrichStages.create(task, models.forTask(task), batchSize, maxNewTokens).transform(enriched);
            }
            enriched = enriched.drop("source");
            SaveMode saveMode = mode == WriteMode.OVERWRITE ? SaveMode.Overwrite
                    : mode == WriteMode.INCREMENTAL ? SaveMode.Append : SaveMode.ErrorIfExists;
            try (ProgressReporter progress = ProgressReporter.start(spark, "enrich", toWrite)) {
                write(enriched, output, outputFormat, saveMode);
            }
            write(bad, output + "/_quarantine", "jsonl", mode == WriteMode.INCREMENTAL ? SaveMode.Append : SaveMode.Overwrite);
            long written = readOutput(spark, output, outputFormat).count() - before;
            long quarantined = bad.count();
            long skipped = read - quarantined - toWrite;
            double seconds = (System.nanoTime() - start) / 1e9;
            EnrichSummary summary = new EnrichSummary(inputs, output, models.describe(tasks), read, written,
                    quarantined, skipped, seconds, spark.version());
            writeSummary(spark, summary);
            if (!summary.balanced()) {
                throw new IllegalStateException("row counts do not balance: " + summary.describe());
            }
            return summary;
        } finally {
            docs.unpersist();
        }
    }

    private static void write(Dataset<Row> df, String path, String fmt, SaveMode mode) {
        if (fmt.equals("jsonl")) {
            df.write().mode(mode).json(path);
        } else {
            df.write().mode(mode).parquet(path);
        }
    }

    private static Dataset<Row> readOutput(SparkSession spark, String path, String fmt) {
        return fmt.equals("jsonl") ? spark.read().json(path) : spark.read().parquet(path);
    }

    private static boolean exists(SparkSession spark, String path) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    private static void writeSummary(SparkSession spark, EnrichSummary summary) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(summary.output(), "_SUMMARY.json");
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(p, true)) {
                out.write(summary.toJson().toPrettyString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}
