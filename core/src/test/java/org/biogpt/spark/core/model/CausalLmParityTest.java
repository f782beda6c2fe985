package org.biogpt.spark.core.model;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.math.LogitMath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LM logits and log-probs against the Hugging Face goldens (F32 and the BF16-stored variant). */
class CausalLmParityTest {
    private static final double TOL = 1e-4;

    private static JsonNode goldens(String key) {
        String folder = key.replace(":bin", "");
        return folder.equals("causal-lm")
                ? Fixtures.golden().get("causal_lm")
                : Fixtures.golden().get("variants").get(folder).get("causal_lm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"causal-lm", "causal-lm-bf16", "causal-lm:bin", "causal-lm-bf16:bin"})
    void singleTextsMatchReferenceLastLogitsAndNextTokenLogprobs(String folder) {
        BioGptModel model = TinyModels.get(folder);
        int checked = 0;
        for (JsonNode e : goldens(folder).get("single")) {
            if (e.has("error")) {
                continue;
            }
            String id = e.get("id").asText();
            long[] ids = longs(e.get("input_ids"));
            TokenScores s = model.score(Batch.of(ids))[0];
            assertLogits(id + " last", e.get("last_logits"), s.lastLogits());
            assertClose(id + " next_token_logprobs", floats(e.get("next_token_logprobs")), s.nextTokenLogprobs());
            float[][][] all = model.logits(Batch.of(ids));
            assertLogits(id + " first", e.get("first_logits"), all[0][0]);
            assertClose(id + " logits() last = score last", s.lastLogits(), all[0][ids.length - 1]);
            checked++;
        }
        assertTrue(checked >= 20, "only " + checked + " goldens checked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"causal-lm", "causal-lm-bf16"})
    void tooLongInputsFailClearlyWhereTheReferenceRaisedIndexError(String folder) {
        BioGptModel model = TinyModels.get(folder);
        int errors = 0;
        for (JsonNode e : goldens(folder).get("single")) {
            if (!e.has("error")) {
                continue;
            }
            assertTrue(e.get("error").asText().startsWith("IndexError"));
            long[] ids = longs(e.get("input_ids"));
            SequenceTooLongException ex = assertThrows(SequenceTooLongException.class, () -> model.score(Batch.of(ids)));
            assertEquals(ids.length, ex.length());
            assertTrue(ex.getMessage().contains("exceeds max_position_embeddings 128"), ex.getMessage());
            assertThrows(SequenceTooLongException.class, () -> model.prefill(Batch.of(ids)).close());
            errors++;
        }
        assertEquals(2, errors);
    }

    @org.junit.jupiter.api.Test
    void truncationPolicyKeepsTheFirstMaxPositionsTokens() {
        BioGptModel strict = TinyModels.get("causal-lm");
        // Shares the fixture's weights; not closed, since closing a model closes its weights.
        BioGptModel lenient = new BioGptModel(strict.weights(), strict.options().withLengthPolicy(LengthPolicy.TRUNCATE));
        {
            long[] ids = new long[200];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 4 + (i * 37) % 1000;
            }
            float[] want = strict.lastLogits(Batch.of(Arrays.copyOf(ids, 128)))[0];
            float[] got = lenient.lastLogits(Batch.of(ids))[0];
            assertClose("truncated", want, got);
            float[][] left = lenient.lastLogits(Batch.leftPadded(java.util.List.of(ids, Arrays.copyOf(ids, 50)), 1));
            assertClose("truncated in a left-padded batch", want, left[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch_right_padded", "batch_left_padded"})
    void paddedBatchRowsMatchReference(String section) {
        for (String folder : new String[] {"causal-lm", "causal-lm-bf16"}) {
            BioGptModel model = TinyModels.get(folder);
            JsonNode g = goldens(folder).get(section);
            Batch batch = TinyModels.batch(g.get("input_ids"), g.get("attention_mask"));
            TokenScores[] scores = model.score(batch);
            float[][] last = model.lastLogits(batch);
            for (int r = 0; r < batch.size(); r++) {
                JsonNode row = g.get("rows").get(r);
                String id = folder + " " + section + " " + row.get("id").asText();
                assertLogits(id, row.get("last_logits"), scores[r].lastLogits());
                assertLogits(id + " lastLogits()", row.get("last_logits"), last[r]);
                assertClose(id + " next_token_logprobs", floats(row.get("next_token_logprobs")), scores[r].nextTokenLogprobs());
            }
            try (ForwardState state = model.prefill(batch)) {
                float[][] stateLogits = state.logits();
                for (int r = 0; r < batch.size(); r++) {
                    assertLogits(folder + " " + section + " prefill row " + r, g.get("rows").get(r).get("last_logits"), stateLogits[r]);
                }
            }
        }
    }

    /** Top-20 ids exact (a swap at the 20th only between near-ties), values, argmax, logsumexp. */
    /**
     * Each row's prompt prefilled (padded as the section pads), then its last k tokens scored as a
     * continuation over the cache: their log-probabilities are the reference's, and the state is
     * left as it was (scoring again, and the next-token logits, give the same).
     */
    @ParameterizedTest
    @ValueSource(strings = {"batch_right_padded", "batch_left_padded"})
    void continuationLogProbsAreTheReferencesNextTokenLogprobs(String section) {
        BioGptModel model = TinyModels.get("causal-lm");
        JsonNode g = goldens("causal-lm").get(section);
        Batch batch = TinyModels.batch(g.get("input_ids"), g.get("attention_mask"));
        // Rows of one real token have nothing to predict it from: the others are scored.
        int[] scored = IntStream.range(0, batch.size()).filter(r -> batch.realIds(r).length > 1).toArray();
        assertTrue(scored.length >= 3, "rows to score");
        for (int tail : new int[] {1, 3}) {
            List<long[]> prefixes = new ArrayList<>();
            long[][] continuations = new long[scored.length][];
            for (int i = 0; i < scored.length; i++) {
                long[] real = batch.realIds(scored[i]);
                int k = Math.min(tail + i, real.length - 1);                                 // a different tail per row
                prefixes.add(Arrays.copyOf(real, real.length - k));
                continuations[i] = Arrays.copyOfRange(real, real.length - k, real.length);
            }
            Batch prefix = section.contains("left") ? Batch.leftPadded(prefixes, 1) : Batch.rightPadded(prefixes, 1);
            try (ForwardState state = model.prefill(prefix)) {
                float[][] logitsBefore = state.logits();
                float[][] got = state.continuationLogProbs(continuations);
                for (int i = 0; i < scored.length; i++) {
                    float[] all = floats(g.get("rows").get(scored[i]).get("next_token_logprobs"));
                    int k = continuations[i].length;
                    assertClose(section + " row " + scored[i] + " last " + k, Arrays.copyOfRange(all, all.length - k, all.length), got[i]);
                }
                assertArrayEquals(got, state.continuationLogProbs(continuations), "scoring again over the same state");
                assertArrayEquals(logitsBefore, state.logits(), "the continuation is dropped from the state");
            }
        }
        try (ForwardState state = model.prefill(batch)) {
            // One token per row: the state's own next-token log-probabilities, nothing run over the cache.
            float[][] next = state.logProbs();
            long[][] one = new long[batch.size()][];
            for (int r = 0; r < one.length; r++) {
                one[r] = new long[] {5 + r};
            }
            float[][] got = state.continuationLogProbs(one);
            for (int r = 0; r < one.length; r++) {
                assertEquals(next[r][5 + r], got[r][0], 1e-6f, "row " + r);
            }
            assertThrows(IllegalArgumentException.class, () -> state.continuationLogProbs(new long[batch.size()][0]),
                    "a row without continuation tokens");
            assertThrows(IllegalArgumentException.class, () -> state.continuationLogProbs(new long[batch.size() + 1][1]));
        }
    }

    static void assertLogits(String what, JsonNode golden, float[] logits) {
        long[] wantIds = longs(golden.get("top20_ids"));
        float[] wantVals = floats(golden.get("top20_values"));
        int[] order = IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -logits[i])).limit(20)
                .mapToInt(Integer::intValue).toArray();
        for (int k = 0; k < 20; k++) {
            int wantId = (int) wantIds[k];
            assertEquals(wantVals[k], logits[wantId], TOL, what + ": logit of top-" + k + " id " + wantId);
            if (order[k] != wantId) {
                // Only a near-tie at the last place may swap with the next candidate.
                assertEquals(19, k, what + ": top-20 ids differ at " + k + ": " + Arrays.toString(order)
                        + " vs " + Arrays.toString(wantIds));
                assertEquals(wantVals[k], logits[order[k]], 2 * TOL, what + ": swap at 20th is not a near tie");
            }
        }
        assertEquals(golden.get("argmax").asInt(), TinyModels.argmax(logits), what + ": argmax");
        assertEquals(golden.get("logsumexp").asDouble(), LogitMath.logSumExp(logits), TOL, what + ": logsumexp");
        if (golden.has("max")) {
            assertEquals(golden.get("max").asDouble(), logits[LogitMath.argmax(logits)], TOL, what + ": max");
        }
    }

    static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL, what + " [" + i + "]");
        }
    }
}
