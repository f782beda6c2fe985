package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/** Step-by-step logits through the key/value cache equal a full forward over the whole sequence. */
class KvCacheTest {
    private static final double TOL = 1e-5;

    private static long[] ids(String textId) {
        for (JsonNode e : Fixtures.golden().get("causal_lm").get("single")) {
            if (e.get("id").asText().equals(textId)) {
                return Fixtures.longs(e.get("input_ids"));
            }
        }
        throw new IllegalArgumentException(textId);
    }

    @Test
    void stepByStepLogitsEqualFullSequenceLogitsForALeftPaddedBatch() {
        BioGptModel model = TinyModels.get("causal-lm");
        List<long[]> full = List.of(ids("t011"), ids("t023"), ids("t027"));   // 30, 8, 23 tokens
        int prompt = 3;
        int steps = 5;
        List<long[]> prompts = new ArrayList<>();
        full.forEach(f -> prompts.add(Arrays.copyOf(f, prompt + (f.length > 10 ? 6 : 0))));  // ragged prompts
        try (ForwardState s = model.prefill(Batch.leftPadded(prompts, 1))) {
            for (int step = 0; step <= steps; step++) {
                List<long[]> seen = new ArrayList<>();
                for (int r = 0; r < full.size(); r++) {
                    seen.add(Arrays.copyOf(full.get(r), prompts.get(r).length + step));
                }
                float[][] want = model.lastLogits(Batch.leftPadded(seen, 1));
                float[][] got = s.logits();
                for (int r = 0; r < want.length; r++) {
                    assertClose("step " + step + " row " + r, want[r], got[r]);
                }
                if (step < steps) {
                    long[] next = new long[full.size()];
                    for (int r = 0; r < next.length; r++) {
                        next[r] = full.get(r)[prompts.get(r).length + step];
                    }
                    s.step(next);
                }
            }
        }
    }

    @Test
    void logProbsAreTheLogSoftmaxOfLogitsAndMatchTheGoldenNextTokenLogprobs() {
        BioGptModel model = TinyModels.get("causal-lm");
        JsonNode g = Fixtures.golden().get("causal_lm").get("single").get(0);
        long[] all = Fixtures.longs(g.get("input_ids"));
        float[] want = Fixtures.floats(g.get("next_token_logprobs"));
        try (ForwardState s = model.prefill(Batch.of(all[0]))) {
            for (int t = 1; t < all.length; t++) {
                float[][] logp = s.logProbs();
                assertEquals(want[t - 1], logp[0][(int) all[t]], 1e-4, "position " + t);
                s.step(new long[] {all[t]});
            }
            assertEquals(all.length, s.length());
        }
    }

    @Test
    void reorderDuplicateAndDropRowsKeepEachRowsCache() {
        BioGptModel model = TinyModels.get("causal-lm");
        long[] a = ids("t000");
        long[] b = ids("t004");
        try (ForwardState s = model.prefill(Batch.leftPadded(List.of(Arrays.copyOf(a, 4), Arrays.copyOf(b, 6)), 1))) {
            s.select(new int[] {1, 0, 1});                 // rows now: b, a, b
            s.step(new long[] {b[6], a[4], 5});
            s.select(new int[] {2, 0});                    // drop a; rows: b+5, b+b6
            s.extend(new long[][] {{7, 8}, {b[7], b[8]}}, new int[][] {{1, 1}, {1, 1}});
            float[][] got = s.logits();
            long[] row0 = {b[0], b[1], b[2], b[3], b[4], b[5], 5, 7, 8};
            long[] row1 = Arrays.copyOf(b, 9);
            float[][] want = model.lastLogits(Batch.leftPadded(List.of(row0, row1), 1));
            assertClose("beam 0", want[0], got[0]);
            assertClose("beam 1", want[1], got[1]);
            assertEquals(2, s.batchSize());
            // prefill padded a's 4-token prompt to b's 6; both rows now come from b: no padding left.
            assertEquals("[1, 1, 1, 1, 1, 1, 1, 1, 1]", Arrays.toString(s.attentionMask()[0]));
            assertEquals("[1, 1, 1, 1, 1, 1, 1, 1, 1]", Arrays.toString(s.attentionMask()[1]));
        }
    }

    @Test
    void stepsPastMaxPositionsFailClearly() {
        BioGptModel model = TinyModels.get("causal-lm");
        long[] ids = new long[128];
        Arrays.fill(ids, 5);
        try (ForwardState s = model.prefill(Batch.of(ids))) {
            assertThrows(SequenceTooLongException.class, () -> s.step(new long[] {5}));
        }
    }

    static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertEquals(0, worst, TOL, what + ": max |Δ| " + worst);
    }
}
