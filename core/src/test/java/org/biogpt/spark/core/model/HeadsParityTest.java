package org.biogpt.spark.core.model;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hidden states, pooled embeddings, token and sequence classification against the goldens. */
class HeadsParityTest {
    private static final double TOL = 1e-4;

    @Test
    void hiddenStatesMatchReferenceNormsFirstValuesSumAndEmbeddings() {
        BioGptModel model = TinyModels.get("causal-lm");
        JsonNode all = Fixtures.golden().get("hidden_states");
        assertEquals(18, all.size());
        for (JsonNode g : all) {
            String id = g.get("id").asText();
            if (g.has("error")) {
                assertThrows(SequenceTooLongException.class, () -> model.hiddenStates(Batch.of(longs(g.get("input_ids"))), false));
                continue;
            }
            HiddenStates hs = model.hiddenStates(Batch.of(longs(g.get("input_ids"))), true);
            float[][] h = hs.last()[0];
            float[] norms = floats(g.get("l2_norms"));
            assertEquals(norms.length, h.length, id);
            double sum = 0;
            for (int t = 0; t < h.length; t++) {
                double l2 = 0;
                for (float v : h[t]) {
                    l2 += (double) v * v;
                    sum += v;
                }
                assertEquals(norms[t], Math.sqrt(l2), TOL, id + " l2 at " + t);
                float[] first8 = floats(g.get("first8").get(t));
                float[] emb8 = floats(g.get("embeddings_first8").get(t));
                for (int i = 0; i < 8; i++) {
                    assertEquals(first8[i], h[t][i], TOL, id + " first8 [" + t + "][" + i + "]");
                    assertEquals(emb8[i], hs.embeddings()[0][t][i], TOL, id + " embeddings_first8 [" + t + "][" + i + "]");
                }
            }
            double want = g.get("sum").asDouble();
            assertEquals(want, sum, Math.max(1e-5 * Math.abs(want), 1e-4), id + " sum");
        }
    }

    @Test
    void pooledEmbeddingsAreMeanAndLastOfRealTokensWhateverThePadding() {
        BioGptModel model = TinyModels.get("causal-lm");
        JsonNode all = Fixtures.golden().get("hidden_states");
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(longs(all.get(i).get("input_ids")));
        }
        for (Batch batch : new Batch[] {Batch.leftPadded(rows, 1), Batch.rightPadded(rows, 1)}) {
            PooledEmbeddings p = model.embed(batch);
            for (int r = 0; r < rows.size(); r++) {
                JsonNode first8 = all.get(r).get("first8");
                int n = first8.size();
                for (int i = 0; i < 8; i++) {
                    double mean = 0;
                    for (int t = 0; t < n; t++) {
                        mean += first8.get(t).get(i).asDouble() / n;
                    }
                    assertEquals(mean, p.mean()[r][i], TOL, "mean row " + r + " dim " + i);
                    assertEquals(first8.get(n - 1).get(i).asDouble(), p.last()[r][i], TOL, "last row " + r + " dim " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"token-classification", "token-classification:bin"})
    void tokenClassificationLogitsAndLabelsMatchReference(String key) {
        BioGptModel model = TinyModels.get(key);
        JsonNode all = Fixtures.golden().get("token_classification");
        assertEquals(61, all.size());
        for (JsonNode g : all) {
            String id = g.get("id").asText();
            if (g.has("error")) {
                assertThrows(SequenceTooLongException.class, () -> model.classifyTokens(Batch.of(longs(g.get("input_ids")))));
                continue;
            }
            float[][] logits = model.classifyTokens(Batch.of(longs(g.get("input_ids"))))[0];
            assertEquals(g.get("logits").size(), logits.length, id);
            for (int t = 0; t < logits.length; t++) {
                float[] want = floats(g.get("logits").get(t));
                for (int k = 0; k < want.length; k++) {
                    assertEquals(want[k], logits[t][k], TOL, id + " logits[" + t + "][" + k + "]");
                }
                int arg = TinyModels.argmax(logits[t]);
                assertEquals(g.get("argmax").get(t).asInt(), arg, id + " argmax at " + t);
                assertEquals(g.get("labels").get(t).asText(), model.config().id2label().get(arg), id + " label at " + t);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequence-classification", "sequence-classification:bin"})
    void sequenceClassificationMatchesReferenceForSingleTextsAndRightPadding(String key) {
        BioGptModel model = TinyModels.get(key);
        JsonNode sc = Fixtures.golden().get("sequence_classification");
        for (JsonNode g : sc.get("single")) {
            String id = g.get("id").asText();
            long[] ids = longs(g.get("input_ids"));
            if (g.has("error")) {
                assertThrows(SequenceTooLongException.class, () -> model.classifySequences(Batch.of(ids)));
                continue;
            }
            // Includes t034, whose literal <pad> moves the reference's pooled index off the last token.
            float[] logits = model.classifySequences(Batch.of(ids))[0];
            assertClose(id, floats(g.get("logits")), logits);
            assertEquals(g.get("argmax").asInt(), TinyModels.argmax(logits), id);
            assertEquals(g.get("label").asText(), model.config().id2label().get(TinyModels.argmax(logits)), id);
        }
        // The same literal-pad text, left-padded in a batch, pools the same token.
        long[] withPad = null;
        for (JsonNode g : sc.get("single")) {
            long[] ids = longs(g.get("input_ids"));
            if (!g.has("error") && java.util.Arrays.stream(ids).anyMatch(x -> x == 1)) {
                withPad = ids;
            }
        }
        long[] longer = java.util.stream.LongStream.range(10, 10 + withPad.length + 5).toArray();
        float[] alone = model.classifySequences(Batch.of(withPad))[0];
        float[][] padded = model.classifySequences(Batch.leftPadded(java.util.List.of(longer, withPad), 1));
        assertClose("literal pad, left-padded", alone, padded[1]);
        JsonNode right = sc.get("batch_right_padded");
        float[][] got = model.classifySequences(TinyModels.batch(right.get("input_ids"), right.get("attention_mask")));
        for (int r = 0; r < got.length; r++) {
            assertClose("right row " + r, floats(right.get("logits").get(r)), got[r]);
            assertEquals(right.get("argmax").get(r).asInt(), TinyModels.argmax(got[r]));
        }
    }

    /** The reference pools left-padded rows at count(ids != pad) - 1, a pad column: we pool the last real token. */
    @Test
    void leftPaddedSequenceClassificationEqualsTheRightPaddedAnswerNotTheReferenceBug() {
        BioGptModel model = TinyModels.get("sequence-classification");
        JsonNode sc = Fixtures.golden().get("sequence_classification");
        JsonNode left = sc.get("batch_left_padded");
        JsonNode right = sc.get("batch_right_padded");
        assertEquals(right.get("ids"), left.get("ids"));
        float[][] got = model.classifySequences(TinyModels.batch(left.get("input_ids"), left.get("attention_mask")));
        int differsFromBug = 0;
        for (int r = 0; r < got.length; r++) {
            float[] wantRight = floats(right.get("logits").get(r));
            assertClose("left row " + r, wantRight, got[r]);
            float[] bug = floats(left.get("logits").get(r));
            if (Math.abs(bug[0] - got[r][0]) > 1e-3) {
                differsFromBug++;
            }
        }
        assertNotEquals(0, differsFromBug, "the golden left-padded logits should show the reference's wrong pooling");
    }

    @Test
    void headsAbsentFromACheckpointFailClearly() {
        BioGptModel lm = TinyModels.get("causal-lm");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lm.classifySequences(Batch.of(2, 5, 6)));
        assertEquals("this checkpoint has no sequence classification head (score.weight)", e.getMessage());
        assertArrayEquals(new int[] {1, 1, 1}, Batch.of(2, 5, 6).mask()[0]);
    }

    private static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL, what + " [" + i + "]");
        }
    }
}
