package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.eval.EvaluationSet;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.task.PromptTextTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.evaluate.SparkTextGeneration;
import org.biogpt.spark.udfs.model.ModelSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --model}: generating the predictions with the checkpoint, in this JVM or on Spark, and its options. */
final class EvaluateGeneration {
    /** Padded tokens per generation batch: the batch size is what bounds a batch in practice. */
    private static final int MAX_TOKENS_PER_BATCH = 16384;

    @Option(names = "--batch-size", defaultValue = "8", description = "Prompts per generation batch with --model (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--engine", defaultValue = "spark",
            description = "With --model: spark (generate on Spark executors, local[*] unless --master) or core (in this JVM). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--master", description = "Spark master URL for --engine spark (default local[*], or spark-submit's).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions for --engine spark (0 = default parallelism).")
    int partitions;

    @Mixin
    DecodeWeightsOption decodeWeights;

    enum Engine { spark, core }

    /**
     * Generates a text for every document's prompt with the checkpoint, greedy as the original, through
     * core's runner: in this JVM, or on Spark executors through the partition function every stage uses.
     * A document whose generation fails gets an empty prediction (scored as wrong) and is named on stderr.
     */
    List<String> generate(EvaluationSet set, Path model, String task) {
        DecodeWeights format = decodeWeights.format();
        BioGptTokenizer tokenizer = BioGptTokenizer.load(model);
        GenerationConfig config = PromptTextTask.taskDefaults(GenerationConfig.load(model),
                BioGptConfig.load(model).maxPositions());
        PromptTextTask generation = new PromptTextTask(set.task(), config);
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, String> fields : set.promptFields()) {
            rows.add(generation.fields(fields));
        }
        // All rows are planned at once (one sort window), as the original groups its inputs.
        RunSettings settings = new RunSettings(batchSize, MAX_TOKENS_PER_BATCH, 0, LengthPolicy.TRUNCATE,
                Math.max(1, rows.size()));
        long start = System.nanoTime();
        List<Outcome<String>> outcomes;
        if (engine == Engine.spark) {
            SparkSession spark = SparkSessions.create("biogpt-evaluate-" + task, master, Map.of());
            try {
                outcomes = SparkTextGeneration.generate(spark, ModelSpec.cpu(model.toAbsolutePath().toString()).withDecodeWeights(format),
                        settings.withThreads(1), tokenizer, generation, rows, partitions);
                System.err.printf("evaluate: %d documents generated on Spark in %.1f s%n", rows.size(),
                        (System.nanoTime() - start) / 1e9);
            } finally {
                spark.stop();
            }
        } else {
            try (BioGptModel m = BioGptModel.load(model, ModelOptions.defaults().withDecodeWeights(format))) {
                outcomes = new BatchRunner<>(settings, tokenizer, generation, () -> m, progress(rows.size(), start)).runRows(rows);
            }
        }
        List<String> texts = new ArrayList<>(outcomes.size());
        List<String> ids = set.ids();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome<String> o = outcomes.get(i);
            if (o.isError()) {
                System.err.printf("evaluate: document %s: no prediction (%s)%n", ids.get(i), o.error());
            }
            texts.add(o.isError() ? "" : o.result());
        }
        return texts;
    }

    private static RunListener progress(int total, long start) {
        return new RunListener() {
            private int done;

            @Override
            public void ranRows(long rows, long tokens, long batches, long errors) {
            }

            @Override
            public void ranBatch(int rows) {
                done += rows;
                System.err.printf("evaluate: %d/%d documents generated (%.1f docs/s)%n", done, total,
                        done / ((System.nanoTime() - start) / 1e9));
            }
        };
    }
}
