package org.biogpt.spark.core.task;

/** What a task's generated text holds, and so which parser reads it. */
public enum TaskKind {
    /** Clauses naming (head, relation, tail) triples: BC5CDR, KD-DTI, DDI. */
    RELATION_EXTRACTION,
    /** One label out of a fixed set: PubMedQA. */
    SINGLE_LABEL,
    /** Labels joined by a separator: HoC. */
    MULTI_LABEL
}
