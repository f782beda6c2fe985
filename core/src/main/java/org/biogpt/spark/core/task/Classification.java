package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.math.LogitMath;

/**
 * A document's label(s) from sequence-classification logits, as the Hugging Face
 * text-classification pipeline reads them: a softmax over the labels, or an independent sigmoid
 * per label when the checkpoint's {@code problem_type} is multi-label (then every label with
 * probability at least 0.5 is one of {@code labels}, most probable first).
 *
 * @param label         the most probable label (config id2label name; the first on ties)
 * @param labels        single-label: that label; multi-label: every label with probability >= 0.5
 * @param probabilities every label's probability, in label-id order
 * @param logits        the classifier's logits, in label-id order
 * @param multiLabel    whether the labels were scored independently (sigmoid) rather than against each other
 */
public record Classification(String label, List<String> labels, Map<String, Double> probabilities, float[] logits,
                             boolean multiLabel) implements Serializable {
    private static final double MULTI_LABEL_THRESHOLD = 0.5;

    /** The classification of one row of logits; a label id without a name is called {@code LABEL_<id>}. */
    public static Classification of(float[] logits, Map<Integer, String> id2label, boolean multiLabel) {
        double[] p = multiLabel ? LogitMath.sigmoid(logits) : LogitMath.softmax(logits);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            probabilities.put(name(id2label, i), p[i]);
        }
        List<Integer> order = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(p[b], p[a])); // stable: ties keep id order
        List<String> labels = new ArrayList<>();
        for (int i : order) {
            if (multiLabel ? p[i] >= MULTI_LABEL_THRESHOLD : labels.isEmpty()) {
                labels.add(name(id2label, i));
            }
        }
        return new Classification(name(id2label, order.get(0)), List.copyOf(labels), probabilities, logits.clone(),
                multiLabel);
    }

    /** The config's name of a label id, or {@code LABEL_<id>} as Hugging Face names unnamed labels. */
    public static String name(Map<Integer, String> id2label, int id) {
        return id2label.getOrDefault(id, "LABEL_" + id);
    }
}
