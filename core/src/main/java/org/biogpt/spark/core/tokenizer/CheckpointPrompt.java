package org.biogpt.spark.core.tokenizer;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The prompt a checkpoint was fine-tuned with, as its own configuration states it (a fairseq
 * checkpoint's {@code cfg.task}): the ids to append after the source, how many learned tokens
 * that is and their word pattern ({@code learned} for {@code learned1 ... learnedN}). A Hub
 * checkpoint states none; its prompt is found in the vocabulary instead.
 *
 * @param ids           prompt ids in order
 * @param learnedLength {@code learned_prompt} (0 for a manual prompt)
 * @param pattern       {@code learned_prompt_pattern}
 * @param source        where it was read, for error messages
 */
public record CheckpointPrompt(int[] ids, int learnedLength, String pattern, String source) implements Serializable {
    private static final long serialVersionUID = 1L;

    public CheckpointPrompt {
        ids = ids.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointPrompt p && Arrays.equals(ids, p.ids) && learnedLength == p.learnedLength
                && pattern.equals(p.pattern) && source.equals(p.source);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + learnedLength;
    }
}
