package org.biogpt.spark.core.generate;

/**
 * Bans every token that would complete an n-gram already present in the row (prompt
 * included), as Hugging Face's {@code NoRepeatNGramLogitsProcessor}. The row is its real tokens:
 * left padding is not part of it, so a prompt gets the same bans in any batch.
 */
record NoRepeatNGramProcessor(int n) implements LogitsProcessor {
    @Override
    public void apply(float[] scores, TokenHistory h) {
        int len = h.length();
        if (len + 1 < n) {
            return;
        }
        int prefixStart = len - n + 1; // the last n-1 tokens, which the next token would extend
        for (int i = 0; i + n <= len; i++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) {
                match = h.get(i + j) == h.get(prefixStart + j);
            }
            if (match) {
                scores[h.get(i + n - 1)] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
