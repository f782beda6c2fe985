package org.biogpt.spark.core.generate;

import java.util.BitSet;

/**
 * CTRL-style repetition penalty as Hugging Face: every token already in the row (prompt
 * included) has its score divided by the penalty when positive, multiplied when negative;
 * once per distinct token.
 */
record RepetitionPenaltyProcessor(float penalty) implements LogitsProcessor {
    @Override
    public void apply(float[] scores, TokenHistory history) {
        BitSet seen = new BitSet(scores.length);
        for (int i = 0; i < history.length(); i++) {
            int t = history.get(i);
            if (t < 0 || t >= scores.length || seen.get(t)) {
                continue;
            }
            seen.set(t);
            float s = scores[t];
            scores[t] = s < 0 ? s * penalty : s / penalty;
        }
    }
}
