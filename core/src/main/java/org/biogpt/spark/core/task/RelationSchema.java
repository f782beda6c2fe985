package org.biogpt.spark.core.task;

import java.io.Serializable;

/**
 * How the groups of a task's clause pattern map onto a typed triple.
 *
 * @param headType      entity type of the head, e.g. "chemical", "drug"
 * @param tailType      entity type of the tail, e.g. "disease", "target"
 * @param headGroup     regex group of the head name
 * @param tailGroup     regex group of the tail name
 * @param relationGroup regex group of the relation name, or 0 when every clause states {@code fixedRelation}
 * @param fixedRelation the relation of a pattern without a relation group (BC5CDR: "CID"); null otherwise
 */
public record RelationSchema(String headType, String tailType, int headGroup, int tailGroup,
                             int relationGroup, String fixedRelation) implements Serializable {
    public RelationSchema {
        if (headGroup < 1 || tailGroup < 1 || relationGroup < 0) {
            throw new IllegalArgumentException("relation schema: head and tail groups must be >= 1, relation group >= 0");
        }
        if (relationGroup == 0 && (fixedRelation == null || fixedRelation.isEmpty())) {
            throw new IllegalArgumentException("relation schema: without a relation group a fixed_relation is required");
        }
    }
}
