package org.biogpt.spark.core.task;

import java.util.List;

/**
 * The triples read from one generated text, and the clauses that did not parse (kept so that
 * callers can count and show them rather than lose them).
 */
public record RelationOutput(List<Relation> relations, List<String> unparsed) {
    public RelationOutput {
        relations = List.copyOf(relations);
        unparsed = List.copyOf(unparsed);
    }

    /** The original scripts' "failed" line: not one clause parsed. */
    public boolean failed() {
        return relations.isEmpty();
    }
}
