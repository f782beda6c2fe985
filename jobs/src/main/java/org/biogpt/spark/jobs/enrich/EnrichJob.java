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
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.corpus.ColumnNames;
import org.biogpt.spark.jobs.corpus.CorpusReader;
import org.biogpt.spark.jobs.corpus.InputFiles;
import org.biogpt.spark.jobs.corpus.ReadOptions;
import org.biogpt.spark.jobs.corpus.ResolvedCorpus;
import org.biogpt.spark.udfs.TokenStatsFunction;
import org.biogpt.spark.udfs.model.DriverCheckpoint;

/**
 * The enrich job: corpus in, one row per document out (id, title, text, token_count,
 * exceeds_max_positions, with qa the question asked, then one column pair per model task: result and error), bad records to
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
    private ColumnNames columns = ColumnNames.DEFAULT;
    private boolean keepNoAbstract;
    private PartitionBy partitionBy = PartitionBy.AUTO;
    private int commitEvery = DEFAULT_COMMIT_EVERY;
    private ReadOptions readOptions = ReadOptions.DEFAULT;
    private boolean force;

    /** Documents per commit in incremental mode (see {@link #withCommitEvery}). */
    public static final int DEFAULT_COMMIT_EVERY = 50_000;

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

    /** Which JSONL/Parquet columns hold id, title and text. */
    public EnrichJob columns(ColumnNames names) {
        this.columns = names == null ? ColumnNames.DEFAULT : names;
        return this;
    }

    /** Keep documents without an abstract (title only) instead of skipping and counting them. */
    public EnrichJob keepNoAbstract(boolean keep) {
        this.keepNoAbstract = keep;
        return this;
    }

    /** Output directory layout (default AUTO: by year for PubMed XML, none otherwise). */
    public EnrichJob partitionBy(PartitionBy p) {
        this.partitionBy = p;
        return this;
    }

    /**
     * Incremental mode commits the output in batches of about this many documents, so a run that dies
     * keeps what it committed and a re-run does only the rest.
     */
    public EnrichJob withCommitEvery(int documents) {
        if (documents < 1) {
            throw new IllegalArgumentException("commit batch must be at least 1 document, got " + documents);
        }
        this.commitEvery = documents;
        return this;
    }

    /** Reader limits and checks: the per-record text cap, {@code --verify-md5}. */
    public EnrichJob readOptions(ReadOptions options) {
        this.readOptions = options;
        return this;
    }

    /**
     * Lets {@code --mode overwrite} replace an output that is not recognised as an earlier enrich's
     * (see {@link OutputGuard}); inputs and output must still not overlap.
     */
    public EnrichJob force(boolean replaceUnrecognisedOutput) {
        this.force = replaceUnrecognisedOutput;
        return this;
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
        OutputGuard.check(spark.sparkContext().hadoopConfiguration(), inputs, output, mode, force);
        Broadcast<BioGptTokenizer> tok = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizer);
        InputFiles.Listing listing = InputFiles.list(spark.sparkContext().hadoopConfiguration(), inputs);
        ResolvedCorpus corpus = ResolvedCorpus.resolve(
                CorpusReader.read(spark, format, columns, readOptions, listing), keepNoAbstract);
        Dataset<Row> joined = null; // documents not yet in the output (incremental), persisted
        try {
            ResolvedCorpus.Counts in = corpus.counts();
            Dataset<Row> good = corpus.documents();
            Dataset<Row> bad = corpus.quarantine();
            long before = 0;
            long removedFromOutput = 0;
            if (mode == WriteMode.INCREMENTAL) {
                IncrementalCommit.recover(spark, output);
            }
            boolean hasOutput = mode == WriteMode.INCREMENTAL && IncrementalCommit.hasCommittedData(spark, output);
            if (hasOutput && in.deleteEntries() > 0) {
                // Update files delete PMIDs that earlier runs wrote: remove them before deciding what is new.
                removedFromOutput = OutputDeletes.apply(spark, output, outputFormat, corpus.deletedIds());
            }
            if (hasOutput) {
                Dataset<Row> done = readIds(spark, output, outputFormat);
                before = done.count();
                // Ids already in the output are skipped, so a re-run after a crash or a nightly run adds no duplicates.
                // Kept: it is counted and then enriched (and split into commits), and the output it was
                // computed against changes as batches are committed.
                good = good.join(done, good.col("id").equalTo(done.col("id")), "left_anti")
                        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
                joined = good;
            }
            long toWrite = good.count();
            PartitionBy layout = partitionBy.resolve(format, listing.files());
            WrittenRows written = WrittenRows.register(spark);
            java.util.function.UnaryOperator<Dataset<Row>> enrich = docs -> {
                Dataset<Row> e = docs.mapPartitions(new TokenStatsFunction(tok, config.maxPositions()),
                        Encoders.row(TokenStatsFunction.schema(docs.schema())));
                if (tasks.stream().anyMatch(t -> t.kind().equals("qa"))) {
                    e = e.withColumn("question", org.apache.spark.sql.functions.lit(question));
                }
                for (EnrichTask task : tasks) {
                    e = EnrichStages.create(task, models.forTask(task), batchSize, maxNewTokens).transform(e);
                }
                return written.counted(e.drop("source"));
            };
            SaveMode saveMode = mode == WriteMode.OVERWRITE ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
            try (ProgressReporter progress = ProgressReporter.start(spark, "enrich", toWrite, written)) {
                if (mode == WriteMode.INCREMENTAL) {
                    // Several commits (batches split by id hash before the models run), each staged in its own
                    // folder and moved in file by file: a crash keeps every committed file, nothing half-written.
                    int batches = (int) Math.max(1, (toWrite + commitEvery - 1) / commitEvery);
                    Dataset<Row> pending = good;
                    for (int b = 0; b < batches; b++) {
                        Dataset<Row> batch = enrich.apply(batches == 1 ? pending
                                : pending.filter(IncrementalCommit.batchOf(col("id"), batches).equalTo(b)));
                        IncrementalCommit.write(spark, output, b,
                                staging -> write(batch, staging, outputFormat, SaveMode.ErrorIfExists, layout.column()));
                    }
                } else {
                    write(enrich.apply(good), output, outputFormat, saveMode, layout.column());
                }
            }
            write(bad, output + "/_quarantine", "jsonl", mode == WriteMode.INCREMENTAL ? SaveMode.Append : SaveMode.Overwrite,
                    null);
            if (removedFromOutput > 0) {
                System.err.println("enrich: removed " + removedFromOutput + " rows of earlier runs named by DeleteCitation");
            }
            long skipped = in.documents() - toWrite;
            double seconds = (System.nanoTime() - start) / 1e9;
            EnrichSummary summary = new EnrichSummary(inputs, output, models.describe(tasks), in.read(), written.value(),
                    in.quarantined(), skipped, in.deleted(), in.superseded(), in.skippedNoAbstract(), in.deleteEntries(),
                    removedFromOutput, layout.name().toLowerCase(java.util.Locale.ROOT), seconds, spark.version(),
                    listing.skipped());
            writeSummary(spark, summary);
            if (!summary.balanced()) {
                throw new IllegalStateException("row counts do not balance: " + summary.describe());
            }
            return summary;
        } finally {
            if (joined != null) {
                joined.unpersist();
            }
            corpus.unpersist();
        }
    }

    private static void write(Dataset<Row> df, String path, String fmt, SaveMode mode, String partitionColumn) {
        org.apache.spark.sql.DataFrameWriter<Row> w = df.write().mode(mode);
        if (partitionColumn != null) {
            w = w.partitionBy(partitionColumn);
        }
        if (fmt.equals("jsonl")) {
            w.json(path);
        } else {
            w.parquet(path);
        }
    }

    /**
     * The ids an earlier run wrote, read with an explicit schema: an output of only empty files (a run that
     * wrote nothing) has no schema to infer.
     */
    static Dataset<Row> readIds(SparkSession spark, String path, String fmt) {
        org.apache.spark.sql.DataFrameReader r = spark.read().schema("id STRING");
        return (fmt.equals("jsonl") ? r.json(path) : r.parquet(path)).select("id");
    }

    /** Output (or one output file) written as {@code fmt}: jsonl or parquet. */
    static Dataset<Row> readOutput(SparkSession spark, String path, String fmt) {
        return fmt.equals("jsonl") ? spark.read().json(path) : spark.read().parquet(path);
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
