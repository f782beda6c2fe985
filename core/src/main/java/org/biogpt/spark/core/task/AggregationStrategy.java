package org.biogpt.spark.core.task;

import java.util.Locale;

/** Hugging Face token-classification pipeline aggregation strategies. */
public enum AggregationStrategy {
    /** One entity per token, no grouping (labels "O" dropped). */
    NONE,
    /** Adjacent tokens grouped by their B-/I- tags; score = mean of the token scores. */
    SIMPLE,
    /** Each word takes its first piece's label and score, then words are grouped as SIMPLE. */
    FIRST,
    /** Each word takes the label of its pieces' mean probabilities, then grouped. */
    AVERAGE,
    /** Each word takes the label and score of its most confident piece, then grouped. */
    MAX;

    public static AggregationStrategy parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
