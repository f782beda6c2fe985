package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.task.LabelOutput;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.TargetBuilder;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/** HoC: label-list parse as postprocess.py, micro-F1 over the 11 classes ("empty" included). */
final class HocEvaluation implements EvaluationSet {
    private final TaskDefinition task = TaskDefinitions.builtIn(TaskDefinitions.HOC);
    private final List<HocGold.Item> items;
    private final OutputParser parser = new OutputParser(task);

    HocEvaluation(List<HocGold.Item> items) {
        this.items = items;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public List<String> ids() {
        return items.stream().map(HocGold.Item::id).toList();
    }

    @Override
    public List<Map<String, String>> promptFields() {
        return items.stream().map(i -> Map.of("text", i.text())).toList();
    }

    @Override
    public List<String> goldTargets() {
        return items.stream().map(i -> TargetBuilder.label(task, i.labels())).toList();
    }

    @Override
    public Map<String, Object> score(List<String> generated) {
        if (generated.size() != items.size()) {
            throw new IllegalArgumentException(generated.size() + " predictions for " + items.size() + " items");
        }
        List<List<String>> gold = new ArrayList<>();
        List<List<String>> predicted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            gold.add(items.get(i).labelList());
            String text = generated.get(i);
            // "failed" is not a class, so a failed parse is an empty row, as MultiLabelBinarizer makes it
            LabelOutput out = text == null ? new LabelOutput(List.of(), false) : parser.parseLabels(text);
            predicted.add(out.labels());
        }
        return LabelScores.report(task.name(), items.size(), "micro_f1", LabelScores.microF1(gold, predicted, task.labels()));
    }
}
