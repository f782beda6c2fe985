package org.biogpt.spark.core.tokenizer;

import java.util.Arrays;

/**
 * The tokens of one text: ids, their vocabulary strings, and for each token the span
 * {@code [starts[i], ends[i])} of Java char indices in the original text (BOS is [0, 0]).
 */
public record Encoding(int[] ids, String[] tokens, int[] starts, int[] ends) {
    public Encoding {
        if (ids.length != tokens.length || ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, tokens, starts and ends differ in length");
        }
    }

    public int length() {
        return ids.length;
    }

    /** The first {@code maxLength} tokens, BOS included (transformers' truncation=True, max_length=N). */
    public Encoding truncate(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
        }
        if (maxLength >= ids.length) {
            return this;
        }
        return new Encoding(Arrays.copyOf(ids, maxLength), Arrays.copyOf(tokens, maxLength),
                Arrays.copyOf(starts, maxLength), Arrays.copyOf(ends, maxLength));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(starts, e.starts) && Arrays.equals(ends, e.ends);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
