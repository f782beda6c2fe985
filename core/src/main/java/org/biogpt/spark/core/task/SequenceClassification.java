package org.biogpt.spark.core.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;

/**
 * Sequence-classification logits to labels and probabilities, as the Hugging Face
 * text-classification pipeline does: softmax over the labels, or an independent sigmoid per
 * label when the checkpoint's {@code problem_type} is "multi_label_classification" (then every
 * label with probability at least {@code 0.5} is returned, most probable first).
 */
public final class SequenceClassification {
    public static final String MULTI_LABEL = "multi_label_classification";

    private final Map<Integer, String> id2label;
    private final boolean multiLabel;

    public SequenceClassification(Map<Integer, String> id2label, boolean multiLabel) {
        if (id2label.isEmpty()) {
            throw new IllegalArgumentException("id2label is empty");
        }
        this.id2label = Map.copyOf(id2label);
        this.multiLabel = multiLabel;
    }

    /** {@code problem_type} of a checkpoint's config.json, or null when it does not say. */
    public static String problemType(Path modelDir) {
        JsonNode type = CheckpointLoader.config(modelDir).root().get("problem_type");
        return type == null || type.isNull() ? null : type.asText();
    }

    public boolean multiLabel() {
        return multiLabel;
    }

    public Result classify(float[] logits) {
        if (logits.length != id2label.size()) {
            throw new IllegalArgumentException(logits.length + " logits for " + id2label.size() + " labels");
        }
        double[] p;
        if (multiLabel) {
            p = new double[logits.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
            }
        } else {
            p = EntitySpanDecoder.softmax(logits);
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            probabilities.put(id2label.get(i), p[i]);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(p[b], p[a])); // stable: ties keep id order
        List<String> labels = new ArrayList<>();
        for (int i : order) {
            if (multiLabel ? p[i] >= 0.5 : labels.isEmpty()) {
                labels.add(id2label.get(i));
            }
        }
        return new Result(id2label.get(order.get(0)), labels, probabilities);
    }

    /**
     * @param label         the most probable label
     * @param labels        single-label: that label; multi-label: every label with probability >= 0.5
     * @param probabilities every label's probability, in id order
     */
    public record Result(String label, List<String> labels, Map<String, Double> probabilities) {
    }
}
