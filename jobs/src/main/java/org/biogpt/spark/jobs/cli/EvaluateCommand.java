package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.eval.EvaluationSet;
import org.biogpt.spark.core.eval.Predictions;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.TextGenerationBackend;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.io.JsonLines;
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
        @Option(names = "--model", description = "Checkpoint directory to generate with.")
        Path model;

        @Option(names = "--predictions", description = "Generated texts to score (JSONL or plain text).")
        Path predictions;
    }

    @Option(names = "--predictions-out", description = "Write the generated texts as JSONL {\"id\", \"prediction\"}.")
    Path predictionsOut;

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
            texts = generate(set, source.model);
            if (texts == null) {
                return 2;
            }
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
        System.out.println(JsonLines.MAPPER.writeValueAsString(metrics));
        return 0;
    }

    /** Prompts for every document through the first TextGenerationBackend on the classpath; null if none. */
    private List<String> generate(EvaluationSet set, Path model) {
        Iterator<TextGenerationBackend.Provider> providers = ServiceLoader.load(TextGenerationBackend.Provider.class).iterator();
        if (!providers.hasNext()) {
            System.err.println("evaluate: --model is not available yet: no text-generation backend is on the classpath "
                    + "(the decoder is not wired into this build). Score generated texts with --predictions instead.");
            return null;
        }
        PromptBuilder builder = new PromptBuilder(set.task(), BioGptTokenizer.load(model));
        List<Prompt> prompts = new ArrayList<>();
        for (Map<String, String> fields : set.promptFields()) {
            prompts.add(builder.build(fields));
        }
        try (TextGenerationBackend backend = providers.next().open(model)) {
            List<String> texts = backend.generate(prompts);
            if (texts.size() != prompts.size()) {
                throw new IllegalStateException("backend returned " + texts.size() + " texts for " + prompts.size() + " prompts");
            }
            return texts;
        }
    }
}
