package org.biogpt.spark.core.task;

import java.util.List;

/**
 * The relations of one document.
 *
 * @param relations triples parsed from the generated text, with char spans in the input text (-1 if absent)
 * @param unparsed  clauses that did not match the task's pattern
 * @param generated the generated text the triples were read from
 * @param truncated whether the source was cut (task limit or model room) before generation
 * @param generatedTokens how many tokens were generated (an ending eos included): what the row cost to decode
 */
public record RelationResult(List<Relation> relations, List<String> unparsed, String generated, boolean truncated,
                             int generatedTokens) {
}
