package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.eval.EvaluationSet;
import org.biogpt.spark.core.eval.Predictions;
import org.biogpt.spark.jobs.evaluate.MetricsTable;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    CheckpointFileOption checkpointFile;

    @Option(names = "--predictions-out", description = "Write the generated texts as JSONL {\"id\", \"prediction\"}.")
    Path predictionsOut;

    @Option(names = "--metrics-out", description = "Also write the metrics JSON object to this file.")
    Path metricsOut;

    @Mixin
    EvaluateGeneration generation;

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
            texts = generation.generate(set, checkpointFile.resolve(source.model), task);
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
}
