package org.biogpt.spark.core.task;

/**
 * An entity found by token classification: its label (the B-/I- prefix removed once grouped),
 * its [start, end) char range in the original text, that text, and its score.
 */
public record EntitySpan(String label, int start, int end, String text, double score) {
}
