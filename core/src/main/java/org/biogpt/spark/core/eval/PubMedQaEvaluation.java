package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.task.TargetBuilder;

/** PubMedQA (either variant): label parse as postprocess.py, accuracy and macro-F1 over the task's labels. */
final class PubMedQaEvaluation extends BuiltInEvaluation<PubMedQaGold.Item> {
    PubMedQaEvaluation(String name, List<PubMedQaGold.Item> items) {
        super(name, items, PubMedQaGold.Item::id);
    }

    @Override
    Map<String, String> fields(PubMedQaGold.Item i) {
        return Map.of("question", i.question(), "context", i.context(), "long_answer", i.longAnswer());
    }

    @Override
    public List<String> goldTargets() {
        return docs.stream().map(i -> TargetBuilder.label(task, i.label())).toList();
    }

    @Override
    public Map<String, Object> score(List<String> generated) {
        requireOnePer(generated, "items");
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            gold.add(docs.get(i).label());
            String text = generated.get(i);
            predicted.add(text == null ? "failed" : parser.parseLabel(text).label());
        }
        List<String> labels = task.labels();
        return LabelScores.report("pubmedqa", docs.size(),
                "accuracy", LabelScores.accuracy(gold, predicted),
                "macro_f1", LabelScores.macroF1(gold, predicted, labels),
                "macro_f1_labels", String.join(",", labels),
                "predictions_outside_labels", LabelScores.outside(predicted, labels),
                "note", "macro_f1 is the mean F1 over " + String.join("/", labels)
                        + "; an unparsed prediction or one outside these labels counts as wrong");
    }
}
