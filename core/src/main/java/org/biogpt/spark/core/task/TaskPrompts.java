package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.RowRejected;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * A task's prompt for one row, from core's {@link PromptBuilder} (template, lowercasing, the
 * original's "..." cut at the task's source limit, learned prompt), checked against the room the
 * model has. A prompt that does not fit is an error under {@code truncation=error}; under
 * {@code truncate} its source is cut further by the same "..." rule until it fits.
 */
final class TaskPrompts implements Serializable {
    private final TaskDefinition task;
    private final List<String> fieldNames;

    /** @param fieldNames the template field each input field fills, in input order */
    TaskPrompts(TaskDefinition task, List<String> fieldNames) {
        this.task = task;
        this.fieldNames = List.copyOf(fieldNames);
    }

    TaskDefinition task() {
        return task;
    }

    /** The template fields of a row: input field i fills {@code fieldNames[i]}; a null optional field is "". */
    Map<String, String> fields(List<String> values, int required) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < fieldNames.size(); i++) {
            String v = i < values.size() ? values.get(i) : null;
            if (i < required) {
                v = org.biogpt.spark.core.run.ModelTask.requireText(v, fieldNames.get(i));
            }
            fields.put(fieldNames.get(i), v == null ? "" : v);
        }
        return fields;
    }

    /**
     * @param limit  most prompt ids the model has room for
     * @param policy what to do when the prompt is longer
     */
    Prompt build(BioGptTokenizer tokenizer, Map<String, String> fields, int limit, LengthPolicy policy) {
        Prompt prompt = new PromptBuilder(task, tokenizer).build(fields);
        if (prompt.ids().length <= limit) {
            return prompt;
        }
        int fixed = prompt.ids().length - prompt.sourceTokens(); // </s> and the learned prompt
        int maxSource = limit - fixed;
        if (policy == LengthPolicy.ERROR || maxSource < 2) {
            throw new RowRejected("prompt has " + prompt.ids().length + " tokens, more than the limit of " + limit
                    + " (maxInputTokens / max_position_embeddings less the tokens to generate)"
                    + (policy == LengthPolicy.ERROR ? "; set truncation=truncate to cut the source with '...'" : ""));
        }
        return new PromptBuilder(task.withMaxSourceTokens(maxSource), tokenizer).build(fields);
    }
}
