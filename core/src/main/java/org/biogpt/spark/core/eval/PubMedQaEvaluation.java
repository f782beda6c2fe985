package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.TargetBuilder;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/** PubMedQA (either variant): label parse as postprocess.py, accuracy and macro-F1 over the task's labels. */
final class PubMedQaEvaluation implements EvaluationSet {
    private final TaskDefinition task;
    private final List<PubMedQaGold.Item> items;
    private final OutputParser parser;

    PubMedQaEvaluation(String name, List<PubMedQaGold.Item> items) {
        this.task = TaskDefinitions.builtIn(name);
        this.items = items;
        this.parser = new OutputParser(task);
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public List<String> ids() {
        return items.stream().map(PubMedQaGold.Item::id).toList();
    }

    @Override
    public List<Map<String, String>> promptFields() {
        return items.stream().map(i -> Map.of("question", i.question(), "context", i.context(),
                "long_answer", i.longAnswer())).toList();
    }

    @Override
    public List<String> goldTargets() {
        return items.stream().map(i -> TargetBuilder.label(task, i.label())).toList();
    }

    @Override
    public Map<String, Object> score(List<String> generated) {
        if (generated.size() != items.size()) {
            throw new IllegalArgumentException(generated.size() + " predictions for " + items.size() + " items");
        }
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            gold.add(items.get(i).label());
            String text = generated.get(i);
            predicted.add(text == null ? "failed" : parser.parseLabel(text).label());
        }
        List<String> labels = task.labels();
        return LabelScores.report("pubmedqa", items.size(),
                "accuracy", LabelScores.accuracy(gold, predicted),
                "macro_f1", LabelScores.macroF1(gold, predicted, labels),
                "macro_f1_labels", String.join(",", labels),
                "predictions_outside_labels", LabelScores.outside(predicted, labels),
                "note", "macro_f1 is the mean F1 over " + String.join("/", labels)
                        + "; an unparsed prediction or one outside these labels counts as wrong");
    }
}
