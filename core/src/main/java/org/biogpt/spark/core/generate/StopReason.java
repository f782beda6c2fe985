package org.biogpt.spark.core.generate;

/** Why a returned sequence ended. */
public enum StopReason {
    /** The model produced an end-of-sequence id (kept as the last token). */
    EOS,
    /** The new-token budget (max_new_tokens or max_length) was used up. */
    MAX_LENGTH,
    /** The decoded new text contains one of the configured stop strings. */
    STOP_STRING
}
