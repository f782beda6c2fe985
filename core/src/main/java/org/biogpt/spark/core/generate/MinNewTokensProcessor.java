package org.biogpt.spark.core.generate;

/** Bans the eos ids until the row has generated {@code minNewTokens} tokens. */
final class MinNewTokensProcessor implements LogitsProcessor {
    private final int minNewTokens;
    private final int[] eosIds;

    MinNewTokensProcessor(int minNewTokens, int[] eosIds) {
        this.minNewTokens = minNewTokens;
        this.eosIds = eosIds.clone();
    }

    @Override
    public void apply(float[] scores, TokenHistory history) {
        if (history.generatedCount() < minNewTokens) {
            for (int e : eosIds) {
                if (e >= 0 && e < scores.length) {
                    scores[e] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }
}
