package org.biogpt.spark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.DjlRuntime;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.task.AggregationStrategy;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.ClassifyTask;
import org.biogpt.spark.core.task.EntityTask;
import org.biogpt.spark.core.task.TokenClassification;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.ProjectHome;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;
import org.biogpt.spark.pipeline.ModelStage;

/**
 * {@code bench --spark}: the same documents through a pipeline stage in Spark (local mode by
 * default) and through core's runner directly with the same task and settings (tokenize, the same
 * token-budget batches, forward, decode, in one thread), so the price of the Spark layer is measured: wall times and the ratio. Model loading
 * and a warm-up run are outside the timings of both paths; rounds alternate between the paths and
 * each path's best of {@code rounds} is reported. Both paths truncate inputs at the model's positions, and their labels are compared.
 */
public final class SparkStageBenchmark {
    static final int DEFAULT_DOCS = 2000;
    private final Path model;
    private final SparkBenchOptions options;
    private final int coreThreads;

    public SparkStageBenchmark(Path model, SparkBenchOptions options, int coreThreads) {
        this.model = model;
        this.options = options;
        this.coreThreads = coreThreads;
        if (!options.stage.equals("classify") && !options.stage.equals("entities")) {
            throw new IllegalArgumentException("--stage must be classify or entities, got '" + options.stage + "'");
        }
        if (options.docs(DEFAULT_DOCS) < 1 || options.rounds < 1) {
            throw new IllegalArgumentException("--docs and --rounds must be at least 1");
        }
    }

    /** What one run measured. */
    public record Result(String stage, int documents, int partitions, double coreSeconds, double sparkSeconds,
                         int agreeing, int coreThreads, int sparkTaskThreads) {
        public double overhead() {
            return sparkSeconds / coreSeconds - 1.0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "{\"stage\": \"%s\", \"documents\": %d, \"spark_partitions\": %d, "
                    + "\"core_seconds\": %.3f, \"spark_seconds\": %.3f, \"spark_over_core\": %.3f, \"overhead_percent\": %.1f, "
                    + "\"core_docs_per_s\": %.1f, \"spark_docs_per_s\": %.1f, \"results_agreeing\": %d, "
                    + "\"core_intra_op_threads\": %d, \"spark_task_threads\": %d, \"target_met\": %s}",
                    stage, documents, partitions, coreSeconds, sparkSeconds, sparkSeconds / coreSeconds, overhead() * 100,
                    documents / coreSeconds, documents / sparkSeconds, agreeing, coreThreads, sparkTaskThreads,
                    overhead() <= 0.15);
        }
    }

    public Result run() {
        List<String> texts = corpus(options.docs(DEFAULT_DOCS));
        List<String> warm = texts.subList(0, Math.min(texts.size(), 100));
        BioGptTokenizer tokenizer = BioGptTokenizer.load(model);
        SparkSession spark = SparkSessions.create("biogpt-bench-spark", options.master, Map.of());
        int taskThreads = Math.max(1, spark.sparkContext().getConf().getInt("spark.task.cpus", 1));
        int coreIntraOp = coreThreads > 0 ? coreThreads : Runtime.getRuntime().availableProcessors();
        try (BioGptModel m = BioGptModel.load(model,
                ModelOptions.defaults().withThreads(coreThreads).withLengthPolicy(LengthPolicy.TRUNCATE))) {
            int partitions = spark.sparkContext().defaultParallelism();
            Dataset<Row> docs = frame(spark, texts, partitions).cache();
            docs.count();
            ModelStage<?> stage = stage();
            runCore(m, tokenizer, warm);
            runSpark(stage, frame(spark, warm, partitions)); // loads the model on the executor(s), warms up
            // Rounds alternate between the paths so that load from other processes hits both alike; the
            // libtorch thread count is per JVM, so it is set for each path before its round.
            double core = Double.MAX_VALUE;
            double sparkSeconds = Double.MAX_VALUE;
            List<String> coreLabels = null;
            List<String> sparkLabels = null;
            for (int r = 0; r < options.rounds; r++) {
                DjlRuntime.init(coreIntraOp);
                long t0 = System.nanoTime();
                coreLabels = runCore(m, tokenizer, texts);
                core = Math.min(core, (System.nanoTime() - t0) / 1e9);
                DjlRuntime.init(taskThreads);
                t0 = System.nanoTime();
                sparkLabels = runSpark(stage, docs);
                sparkSeconds = Math.min(sparkSeconds, (System.nanoTime() - t0) / 1e9);
            }
            int agree = 0;
            for (int i = 0; i < texts.size(); i++) {
                agree += coreLabels.get(i).equals(sparkLabels.get(i)) ? 1 : 0;
            }
            return new Result(options.stage, texts.size(), partitions, core, sparkSeconds, agree, coreIntraOp, taskThreads);
        } finally {
            spark.stop();
        }
    }

    /** The abstracts of the corpus, repeated in order until there are {@code n}. */
    List<String> corpus(int n) {
        Path file = options.corpus != null ? options.corpus
                : ProjectHome.home().resolve("sample-data/corpus/bc5cdr-test-200.jsonl");
        List<String> base = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    JsonNode text = mapper.readTree(line).get("text");
                    if (text != null && !text.isNull()) {
                        base.add(text.asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + file, e);
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException("corpus " + file + " has no \"text\" values");
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(base.get(i % base.size()));
        }
        return out;
    }

    /**
     * Core path: core's runner with the task the stage names, the stage's batching and truncation, rows
     * in windows of the partition function's size; results in input order.
     */
    private List<String> runCore(BioGptModel m, BioGptTokenizer tokenizer, List<String> texts) {
        RunSettings settings = RunSettings.of(options.batchSize, options.maxTokensPerBatch, 0, LengthPolicy.TRUNCATE);
        List<String> out = new ArrayList<>(texts.size());
        if (options.stage.equals("entities")) {
            BatchRunner<TokenClassification> runner = new BatchRunner<>(settings, tokenizer,
                    new EntityTask(AggregationStrategy.SIMPLE), () -> m, RunListener.NONE);
            for (List<String> window : windows(texts, settings.sortWindow())) {
                for (Outcome<TokenClassification> o : runner.run(window)) {
                    out.add(o.isError() ? "error" : String.valueOf(o.result().entities().stream()
                            .map(s -> s.label() + ":" + s.start() + "-" + s.end()).toList()));
                }
            }
        } else {
            BatchRunner<Classification> runner = new BatchRunner<>(settings, tokenizer, new ClassifyTask(), () -> m,
                    RunListener.NONE);
            for (List<String> window : windows(texts, settings.sortWindow())) {
                for (Outcome<Classification> o : runner.run(window)) {
                    out.add(o.isError() ? "error" : o.result().label());
                }
            }
        }
        return out;
    }

    private static List<List<String>> windows(List<String> texts, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += size) {
            out.add(texts.subList(i, Math.min(texts.size(), i + size)));
        }
        return out;
    }

    private ModelStage<?> stage() {
        ModelStage<?> stage = options.stage.equals("entities") ? new EntityTagger() : new DocumentClassifier();
        stage.setModelPath(model.toString()).setTruncation("truncate");
        stage.setBatchSize(options.batchSize).setMaxTokensPerBatch(options.maxTokensPerBatch);
        return stage;
    }

    /** Spark path: the stage over the frame, results collected to the driver in input order. */
    private List<String> runSpark(ModelStage<?> stage, Dataset<Row> docs) {
        List<Row> rows = stage.transform(docs).select(stage.getOutputCol()).collectAsList();
        List<String> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.isNullAt(0)) {
                out.add("error");
            } else if (options.stage.equals("entities")) {
                List<String> s = new ArrayList<>();
                for (Row span : r.<Row>getList(0)) {
                    s.add(span.getString(0) + ":" + span.getInt(1) + "-" + span.getInt(2));
                }
                out.add(String.valueOf(s));
            } else {
                out.add(r.getStruct(0).getString(0));
            }
        }
        return out;
    }

    private static Dataset<Row> frame(SparkSession spark, List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
                schema);
    }
}
