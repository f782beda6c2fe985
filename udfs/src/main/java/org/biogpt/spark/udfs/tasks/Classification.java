package org.biogpt.spark.udfs.tasks;

import java.io.Serializable;
import java.util.Map;

/**
 * A document's label and the probability of every label.
 *
 * @param label         the most probable label (config id2label name)
 * @param probabilities softmax of the sequence-classification logits, by label, in label-id order
 */
public record Classification(String label, Map<String, Double> probabilities) implements Serializable {
}
