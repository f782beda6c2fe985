package org.biogpt.spark.core.run;

import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.tokenizer.Encoding;

/**
 * One row as a model task sees it: its text, its (possibly truncated) tokens, and for prompt
 * tasks the prompt ids built from the row's fields (then {@link #ids()} are those).
 *
 * @param text      the row's main text (the one spans and offsets refer to)
 * @param encoding  the tokenizer's encoding of {@code text}, or null for prompt tasks
 * @param prompt    a prompt task's prompt (its ids are the model input), or null when the encoding's ids are
 */
public record TextInput(String text, Encoding encoding, Prompt prompt) {
    public TextInput(String text, Encoding encoding) {
        this(text, encoding, null);
    }

    /** A prompt-task row: the text and the prompt built from its fields. */
    public static TextInput of(String text, Prompt prompt) {
        return new TextInput(text, null, prompt);
    }

    /** A row given as token ids (no text): they are the model input as they are. */
    public static TextInput ofIds(int[] ids) {
        return new TextInput(null, null, new Prompt("", ids.clone(), ids.length, false, 0));
    }

    /** Model input ids as ints. */
    public int[] intIds() {
        return prompt != null ? prompt.ids() : encoding.ids();
    }

    /** Model input length in tokens (what batches are planned by). */
    public int length() {
        return prompt != null ? prompt.ids().length : encoding.length();
    }

    /** Token ids as the model's batches want them. */
    public long[] ids() {
        int[] ids = intIds();
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
