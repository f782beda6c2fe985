package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The label metrics of the QA and classification tasks, as scikit-learn computes them in the
 * original {@code hard_match_evaluation.py} scripts.
 */
public final class LabelScores {
    private LabelScores() {
    }

    /** accuracy_score: the fraction of exactly equal labels. */
    public static double accuracy(List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        int right = 0;
        for (int i = 0; i < gold.size(); i++) {
            if (gold.get(i).equals(predicted.get(i))) {
                right++;
            }
        }
        return (double) right / gold.size();
    }

    /**
     * f1_score(labels=labels, average='macro'): the mean F1 over the task's closed label set. A
     * prediction outside the set (an unparsed "failed", or any other string the model produced) is
     * a miss for its gold label and a false positive for no label, so it counts as wrong without
     * becoming a class of its own; an F1 with no true positive, false positive or false negative is 0.
     */
    public static double macroF1(List<String> gold, List<String> predicted, List<String> labels) {
        requireSameSize(gold, predicted);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("macro-F1 needs the task's label set");
        }
        Set<String> classes = new LinkedHashSet<>(labels);
        double sum = 0;
        for (String label : classes) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < gold.size(); i++) {
                boolean g = gold.get(i).equals(label);
                boolean p = predicted.get(i).equals(label);
                tp += g && p ? 1 : 0;
                fp += !g && p ? 1 : 0;
                fn += g && !p ? 1 : 0;
            }
            sum += 2.0 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / classes.size();
    }

    /** How many predictions are not one of {@code labels} (unparsed, or a string outside the label set). */
    public static long outside(List<String> predicted, List<String> labels) {
        Set<String> known = Set.copyOf(labels);
        return predicted.stream().filter(p -> !known.contains(p)).count();
    }

    /**
     * f1_score(average='micro') over MultiLabelBinarizer(classes) rows: labels outside
     * {@code classes} are ignored, duplicates within a row count once.
     */
    public static double microF1(List<List<String>> gold, List<List<String>> predicted, List<String> classes) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(predicted.size() + " predictions for " + gold.size() + " items");
        }
        Set<String> known = Set.copyOf(classes);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < gold.size(); i++) {
            Set<String> g = new TreeSet<>(gold.get(i));
            g.retainAll(known);
            Set<String> p = new TreeSet<>(predicted.get(i));
            p.retainAll(known);
            for (String label : p) {
                if (g.contains(label)) {
                    tp++;
                } else {
                    fp++;
                }
            }
            for (String label : g) {
                if (!p.contains(label)) {
                    fn++;
                }
            }
        }
        return 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    private static void requireSameSize(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(predicted.size() + " predictions for " + gold.size() + " items");
        }
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("no items to score");
        }
    }

    static Map<String, Object> report(String task, int documents, Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task);
        out.put("documents", documents);
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    static List<String> copy(List<String> l) {
        return new ArrayList<>(l);
    }
}
