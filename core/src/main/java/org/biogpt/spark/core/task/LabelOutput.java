package org.biogpt.spark.core.task;

import java.util.List;

/**
 * The label(s) read from one generated text. {@code parsed} is false when the answer pattern was
 * not found (the original's "failed"); then {@code labels} is empty. A parsed label need not be
 * one of the task's labels: the model may say anything after the lead words.
 */
public record LabelOutput(List<String> labels, boolean parsed) {
    public LabelOutput {
        labels = List.copyOf(labels);
    }

    /** The single label of a single-label task, or "failed" as the original writes it. */
    public String label() {
        return parsed && !labels.isEmpty() ? labels.get(0) : "failed";
    }
}
