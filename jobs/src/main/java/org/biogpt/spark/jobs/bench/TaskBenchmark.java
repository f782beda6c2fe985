package org.biogpt.spark.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.biogpt.spark.core.model.ForwardTimes;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.Limits;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.task.Answer;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.RelationResult;
import org.biogpt.spark.core.task.TokenClassification;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.pipeline.GeneratingStage;
import org.biogpt.spark.pipeline.ModelStage;

/**
 * {@code bench --task}: the real documents of a BioGPT task through the runtime a Spark stage uses — the
 * stage's own core task and runner settings ({@link ModelStage#coreTask()}, {@link ModelStage#runSettings}),
 * core's {@link BatchRunner} over the rows in the partition function's windows — with the model loaded in
 * this process, greedy. A warm-up over the first documents runs first and is printed apart (the cost a
 * one-shot process pays); then one timed run over all N documents, tokenization included, as
 * {@code tools/bench_task_hf.py} times Hugging Face on the same JSONL. Prints one JSON line: docs/s,
 * prompt tokens/s, generated tokens/s, and RSS after the run.
 *
 * <p>With {@code spark}, the same rows go through the stage itself in a SparkSession (local mode by
 * default: the executor is this JVM, so its RSS is the executor's) and the model is loaded only there;
 * token counts are then not available (the stage's output holds results, not costs).
 */
public final class TaskBenchmark {
    /** What to run. {@code dump}: per-document results as JSON lines (to compare with the HF script's dump), or null. */
    public record Settings(BenchTask task, Path model, Path input, int docs, int batch, int maxNewTokens, int warmupDocs,
                           int threads, ModelOptions modelOptions, boolean spark, String master, Path dump) {
    }

    /** The counts of one run (the timed one or the warm-up). */
    public record Counts(int docs, long promptTokens, long generatedTokens, long errors, double seconds) {
    }

    private final Settings s;
    private final ObjectMapper json = new ObjectMapper();

    public TaskBenchmark(Settings settings) {
        this.s = settings;
        if (settings.task().kind().equals("relations") && settings.maxNewTokens() < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be at least 1 for relation extraction");
        }
        if (settings.maxNewTokens() < 0 || settings.batch() < 1 || settings.warmupDocs() < 0) {
            throw new IllegalArgumentException("--max-new-tokens and --warmup-docs must be >= 0 and --batch >= 1");
        }
    }

    /** Runs the benchmark and returns the JSON line it prints. */
    public String run() {
        Path input = s.input() != null ? s.input() : s.task().defaultInput();
        BenchDocuments docs = BenchDocuments.read(input, s.task(), s.docs());
        ModelStage<?> stage = s.task().stage(s.model(), s.batch(), s.maxNewTokens());
        if (stage instanceof GeneratingStage<?> generating) {
            generating.setDecodeWeights(s.modelOptions().decodeWeights().label());   // --spark runs the stage's own model
        }
        ObjectNode out = json.createObjectNode();
        out.put("bench", "bench_task").put("task", s.task().toString()).put("path", s.spark() ? "spark" : "core")
                .put("input", input.toString()).put("docs", docs.size()).put("batch", s.batch())
                .put("max_new_tokens", s.task().generates() ? s.maxNewTokens() : 0)
                .put("decode_weights", s.modelOptions().decodeWeights().label());
        long rssBefore = ModelBenchmark.rss("VmRSS");
        if (s.spark()) {
            runSpark(stage, docs, out);
        } else {
            runCore(stage, docs, out);
        }
        out.put("rss_mib_before", mib(rssBefore)).put("rss_mib_after", mib(ModelBenchmark.rss("VmRSS")))
                .put("peak_rss_mib", mib(ModelBenchmark.rss("VmHWM")))
                .put("heap_max_mib", mib(Runtime.getRuntime().maxMemory()))
                .put("threads", DjlRuntime.threads()).put("load_avg", GenerationBenchmark.loadAverage());
        return out.toString();
    }

    private void runCore(ModelStage<?> stage, BenchDocuments docs, ObjectNode out) {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(s.model());
        long t0 = System.nanoTime();
        try (BioGptModel model = BioGptModel.load(s.model(), s.modelOptions())) {
            out.put("load_seconds", round((System.nanoTime() - t0) / 1e9, 2));
            RunSettings settings = stage.runSettings(s.threads());
            ModelTask<?> task = stage.coreTask();
            int warm = Math.min(s.warmupDocs(), docs.size());
            if (warm > 0) {
                Counts w = runOnce(settings, tokenizer, task, model, docs.rows().subList(0, warm), null);
                out.put("warmup_docs", warm).put("warmup_seconds", round(w.seconds(), 2));
            }
            ForwardTimes.Snapshot before = model.times();
            Counts c = runOnce(settings, tokenizer, task, model, docs.rows(), docs.ids());
            ForwardTimes.Snapshot after = model.times();
            out.put("prompt_tokens", c.promptTokens()).put("generated_tokens", c.generatedTokens())
                    .put("errors", c.errors()).put("seconds", round(c.seconds(), 2))
                    .put("docs_per_s", round(docs.size() / c.seconds(), 4))
                    .put("prompt_tokens_per_s", round(c.promptTokens() / c.seconds(), 1))
                    .put("generated_tokens_per_s", round(c.generatedTokens() / c.seconds(), 2))
                    .put("prefill_seconds", round(after.prefillSeconds() - before.prefillSeconds(), 2))
                    .put("prefill_forwards", after.prefillForwards() - before.prefillForwards())
                    .put("prefill_columns", after.prefillColumns() - before.prefillColumns())
                    .put("decode_seconds", round(after.decodeSeconds() - before.decodeSeconds(), 2))
                    .put("decode_steps", after.decodeSteps() - before.decodeSteps());
        }
    }

    /** One pass over the rows as a partition runs them: windows of the sort window, each one runner call. */
    private <R> Counts runOnce(RunSettings settings, BioGptTokenizer tokenizer, ModelTask<R> task, BioGptModel model,
                               List<List<String>> rows, List<String> ids) {
        long[] tokens = new long[1];
        RunListener listener = (n, t, batches, errors) -> tokens[0] += t;
        BatchRunner<R> runner = new BatchRunner<>(settings, tokenizer, task, () -> model, listener);
        long t0 = System.nanoTime();
        List<Outcome<R>> outcomes = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i += settings.sortWindow()) {
            outcomes.addAll(runner.runRows(rows.subList(i, Math.min(rows.size(), i + settings.sortWindow()))));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long generated = 0;
        long errors = 0;
        for (Outcome<R> o : outcomes) {
            if (o.isError()) {
                errors++;
            } else {
                generated += generatedTokens(o.result());
            }
        }
        if (ids != null && s.dump() != null) {
            dump(ids, rows, outcomes, tokenizer, task, settings, model);
        }
        return new Counts(rows.size(), tokens[0], generated, errors, secs);
    }

    static int generatedTokens(Object result) {
        if (result instanceof RelationResult r) {
            return r.generatedTokens();
        }
        if (result instanceof Answer a) {
            return a.generatedTokens();
        }
        return 0;
    }

    /** The part of a result the HF script's dump also writes: generated text, label, or per-token labels. */
    static String output(Object result) {
        if (result instanceof RelationResult r) {
            return r.generated();
        }
        if (result instanceof Answer a) {
            return a.text() != null ? a.text() : a.label();
        }
        if (result instanceof Classification c) {
            return c.label();
        }
        if (result instanceof TokenClassification t) {
            return String.join(" ", t.labels());
        }
        return String.valueOf(result);
    }

    /** Per document: id, prompt tokens (the row's model input, as the runner prepares it), generated tokens, output; or its error. */
    private <R> void dump(List<String> ids, List<List<String>> rows, List<Outcome<R>> outcomes, BioGptTokenizer tokenizer,
                          ModelTask<R> task, RunSettings settings, BioGptModel model) {
        Limits limits = new Limits(settings.maxInputTokens(), model.config().maxPositions());
        try (BufferedWriter w = Files.newBufferedWriter(s.dump(), StandardCharsets.UTF_8)) {
            for (int i = 0; i < ids.size(); i++) {
                ObjectNode row = json.createObjectNode().put("id", ids.get(i));
                Outcome<R> o = outcomes.get(i);
                if (o.isError()) {
                    row.put("error", o.error());
                } else {
                    row.put("prompt_tokens", task.prepare(tokenizer, rows.get(i), () -> limits, settings.lengthPolicy()).length())
                            .put("generated_tokens", generatedTokens(o.result())).put("output", output(o.result()));
                }
                w.write(json.writeValueAsString(row));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + s.dump(), e);
        }
    }

    private void runSpark(ModelStage<?> stage, BenchDocuments docs, ObjectNode out) {
        DjlRuntime.init(s.threads());
        SparkSession spark = SparkSessions.create("biogpt-bench-task", s.master(), Map.of());
        try {
            int partitions = spark.sparkContext().defaultParallelism();
            int warm = Math.min(s.warmupDocs(), docs.size());
            if (warm > 0) {
                long t0 = System.nanoTime();
                collect(stage, frame(spark, docs.rows().subList(0, warm), partitions));
                out.put("warmup_docs", warm).put("warmup_seconds", round((System.nanoTime() - t0) / 1e9, 2));
            }
            Dataset<Row> frame = frame(spark, docs.rows(), partitions).cache();
            frame.count();
            long t0 = System.nanoTime();
            long errors = collect(stage, frame);
            double secs = (System.nanoTime() - t0) / 1e9;
            out.put("spark_master", spark.sparkContext().master()).put("spark_partitions", partitions)
                    .put("errors", errors).put("seconds", round(secs, 2)).put("docs_per_s", round(docs.size() / secs, 4));
        } finally {
            spark.stop();
        }
    }

    /** Runs the stage and collects its output; returns the rows that came back with an error. */
    private static long collect(ModelStage<?> stage, Dataset<Row> frame) {
        long errors = 0;
        for (Row r : stage.transform(frame).select(stage.getOutputCol()).collectAsList()) {
            errors += r.isNullAt(0) ? 1 : 0;
        }
        return errors;
    }

    private Dataset<Row> frame(SparkSession spark, List<List<String>> rows, int partitions) {
        StructType schema = new StructType();
        for (String f : s.task().fields()) {
            schema = schema.add(f, DataTypes.StringType, true);
        }
        List<Row> data = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            data.add(RowFactory.create(r.toArray()));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data, partitions),
                schema);
    }

    private static double mib(long bytes) {
        return bytes < 0 ? -1 : round(bytes / 1048576.0, 0);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
