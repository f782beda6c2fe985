package org.biogpt.spark.core.model;

/** What to do with a row that has more real tokens than {@code max_position_embeddings}. */
public enum LengthPolicy {
    /** Refuse the batch with {@link SequenceTooLongException} (the reference raises IndexError). */
    ERROR,
    /** Keep each row's first {@code max_position_embeddings} real tokens, like {@code truncation=True}. */
    TRUNCATE
}
