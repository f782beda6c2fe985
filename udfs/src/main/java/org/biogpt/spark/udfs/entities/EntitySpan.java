package org.biogpt.spark.udfs.entities;

import java.io.Serializable;

/**
 * An entity found in a text.
 *
 * @param label entity type without the B-/I- prefix (e.g. {@code Chemical})
 * @param start first char of the span in the original text (Java char index)
 * @param end   one past the last char
 * @param text  {@code text.substring(start, end)}
 * @param score mean probability of the chosen label over the span's tokens
 */
public record EntitySpan(String label, int start, int end, String text, double score) implements Serializable {
}
