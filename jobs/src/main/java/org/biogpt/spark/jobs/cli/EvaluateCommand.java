package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.eval.EvaluationSet;
import org.biogpt.spark.core.eval.Predictions;
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
import org.biogpt.spark.jobs.evaluate.MetricsTable;
import org.biogpt.spark.jobs.evaluate.SparkTextGeneration;
import org.biogpt.spark.jobs.io.JsonLines;
import org.biogpt.spark.udfs.model.ModelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: the BioGPT paper's metrics on a task's test set, from a checkpoint or from
 * generated texts. Prints one JSON object.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a BioGPT task's test set as microsoft/BioGPT's scripts do; prints one JSON object.",
            "--predictions takes JSONL {\"id\", \"prediction\"} or plain text (one generated text per line, in test-file order;",
            "ids are document keys for bc5cdr/ddi/kd-dti and 0-based row numbers for pubmedqa/hoc)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--task", required = true,
            description = "pubmedqa | pubmedqa-reasoning-free | bc5cdr | ddi | kd-dti | hoc")
    String task;

    @Option(names = "--data", required = true, description = "The task's test file (test.json or test.tsv).")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", description = "Checkpoint directory to generate with (Hub layout, or a "
                + "microsoft/BioGPT fairseq folder such as RE-BC5CDR-BioGPT).")
        Path model;

        @Option(names = "--predictions", description = "Generated texts to score (JSONL or plain text).")
        Path predictions;
    }

    @Option(names = CheckpointFileOption.NAME, description = CheckpointFileOption.DESCRIPTION)
    String checkpointFile;

    @Option(names = "--batch-size", defaultValue = "8", description = "Prompts per generation batch with --model (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--predictions-out", description = "Write the generated texts as JSONL {\"id\", \"prediction\"}.")
    Path predictionsOut;

    @Option(names = "--metrics-out", description = "Also write the metrics JSON object to this file.")
    Path metricsOut;

    @Option(names = "--engine", defaultValue = "spark",
            description = "With --model: spark (generate on Spark executors, local[*] unless --master) or core (in this JVM). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--master", description = "Spark master URL for --engine spark (default local[*], or spark-submit's).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions for --engine spark (0 = default parallelism).")
    int partitions;

    @Option(names = DecodeWeightsOption.NAME, defaultValue = "fp32", description = DecodeWeightsOption.DESCRIPTION)
    String decodeWeights;

    enum Engine { spark, core }

    /** Padded tokens per generation batch: the batch size is what bounds a batch in practice. */
    private static final int MAX_TOKENS_PER_BATCH = 16384;

    @Override
    public Integer call() throws Exception {
        EvaluationSet set = EvaluationSet.load(task, data);
        List<String> ids = set.ids();
        List<String> texts;
        int missing = 0;
        int unknown = 0;
        if (source.predictions != null) {
            Predictions p = Predictions.read(source.predictions, ids);
            texts = p.texts();
            missing = p.missing();
            unknown = p.unknown();
        } else {
            texts = generate(set, CheckpointFileOption.resolve(source.model, checkpointFile));
        }
        if (predictionsOut != null) {
            try (Writer out = JsonLines.writer(predictionsOut.toString())) {
                for (int i = 0; i < ids.size(); i++) {
                    ObjectNode row = JsonLines.MAPPER.createObjectNode().put("id", ids.get(i));
                    row.put("prediction", texts.get(i));
                    JsonLines.write(out, row);
                }
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>(set.score(texts));
        metrics.put("task", task);
        metrics.put("missing_predictions", missing);
        metrics.put("unknown_ids", unknown);
        String json = JsonLines.MAPPER.writeValueAsString(metrics);
        System.out.println(json);
        if (metricsOut != null) {
            Files.writeString(metricsOut, json + "\n");
        }
        System.err.print(MetricsTable.render(metrics));
        return 0;
    }

    /**
     * Generates a text for every document's prompt with the checkpoint, greedy as the original, through
     * core's runner: in this JVM, or on Spark executors through the partition function every stage uses.
     * A document whose generation fails gets an empty prediction (scored as wrong) and is named on stderr.
     */
    private List<String> generate(EvaluationSet set, Path model) {
        DecodeWeights format = DecodeWeights.parse(decodeWeights);
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
