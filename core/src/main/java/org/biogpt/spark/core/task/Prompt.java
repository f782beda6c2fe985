package org.biogpt.spark.core.task;

import java.util.Arrays;

/**
 * The model input of one document: the source text, and the ids to feed the model as the forced
 * prefix ({@code </s>}, the source pieces, possibly cut and ended by "...", then learned1..learnedN).
 *
 * @param source        the source text as the original builds it (before tokenization and truncation)
 * @param ids           the prompt ids; generation continues after the last one
 * @param sourceTokens  how many source pieces {@code ids} holds (after truncation, "..." included)
 * @param truncated     whether the source was longer than the task's limit and was cut
 * @param learnedTokens how many learned-prompt ids end {@code ids}
 */
public record Prompt(String source, int[] ids, int sourceTokens, boolean truncated, int learnedTokens) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && source.equals(p.source) && Arrays.equals(ids, p.ids)
                && sourceTokens == p.sourceTokens && truncated == p.truncated && learnedTokens == p.learnedTokens;
    }

    @Override
    public int hashCode() {
        return 31 * source.hashCode() + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Prompt[" + ids.length + " ids, truncated=" + truncated + ", learned=" + learnedTokens + "]";
    }
}
