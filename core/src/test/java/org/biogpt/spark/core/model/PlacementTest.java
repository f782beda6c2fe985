package org.biogpt.spark.core.model;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.device.Placement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model on a {@link Placement} other than the CPU in f32. A GPU's code path (weights narrowed
 * to f16 on the device, an f16 key/value cache, masked softmax in f32, logits widened and reduced
 * where they live) runs here with f16 on the CPU, against the Hugging Face float32 goldens within
 * half-precision tolerance.
 */
class PlacementTest {
    /** f16 keeps 11 significant bits; over the tiny model's layers the logits stay within this of float32. */
    private static final double F16_TOL = 2e-2;
    private static BioGptModel half;

    @BeforeAll
    static void load() {
        half = BioGptModel.load(Fixtures.model("causal-lm"),
                ModelOptions.defaults().withThreads(2).withPlacement(new Placement(Device.cpu(), DataType.FLOAT16)));
    }

    @AfterAll
    static void close() {
        half.close();
    }

    @Test
    void halfPrecisionKeepsEveryWeightAndTheCacheInF16AndStaysOffTheJavaKernel() {
        assertEquals(DataType.FLOAT16, half.weights().embedTokens().getDataType());
        assertEquals(DataType.FLOAT16, half.weights().layers().get(0).qWeight().getDataType());
        assertEquals(DataType.FLOAT16, half.weights().finalLnBias().getDataType());
        assertEquals(Backend.Kind.DJL, half.backend().forDecodeStep(4).kind());
        assertTrue(half.backend().forDecodeStep(4).why().contains("cpu (f16)"), half.backend().forDecodeStep(4).why());
    }

    @Test
    void leftAndRightPaddedBatchesMatchTheReferenceWithinHalfPrecision() {
        for (String section : new String[] {"batch_left_padded", "batch_right_padded"}) {
            JsonNode g = Fixtures.golden().get("causal_lm").get(section);
            Batch batch = TinyModels.batch(g.get("input_ids"), g.get("attention_mask"));
            float[][] last = half.lastLogits(batch);
            TokenScores[] scores = half.score(batch);
            try (ForwardState state = half.prefill(batch)) {
                float[][] prefilled = state.logits();
                NextTokens chosen = state.mostLikely();
                for (int r = 0; r < batch.size(); r++) {
                    JsonNode row = g.get("rows").get(r);
                    String what = section + " row " + r;
                    assertNear(what, row.get("last_logits"), last[r]);
                    assertNear(what + " prefill", row.get("last_logits"), prefilled[r]);
                    float[] want = floats(row.get("next_token_logprobs"));
                    float[] got = scores[r].nextTokenLogprobs();
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], F16_TOL, what + " next-token log-prob " + i);
                    }
                    if (topGap(row.get("last_logits")) > 2 * F16_TOL) {
                        assertEquals(row.get("last_logits").get("argmax").asInt(), chosen.ids()[r], what + " argmax");
                    }
                }
            }
        }
    }

    @Test
    void greedyDecodeStepsOverTheHalfPrecisionCacheFollowTheReference() {
        JsonNode cases = Fixtures.golden().get("generation").get("cases");
        int checked = 0;
        for (JsonNode c : cases) {
            if (!c.get("name").asText().startsWith("greedy/") || c.get("min_top1_top2_gap").asDouble() <= 4 * F16_TOL) {
                continue;   // a near-tie may flip in f16: only clear-cut cases must match token for token
            }
            long[] prompt = longs(c.get("input_ids").get(0));
            JsonNode want = c.get("new_tokens").get(0);
            try (ForwardState state = half.prefill(Batch.of(prompt))) {
                for (int t = 0; t < want.size(); t++) {
                    NextTokens next = state.mostLikely();
                    assertFalse(Float.isNaN(next.logProbs()[0]), c.get("name").asText() + " step " + t);
                    assertEquals(want.get(t).asInt(), next.ids()[0], c.get("name").asText() + " step " + t);
                    state.step(new long[] {next.ids()[0]});
                }
            }
            checked++;
        }
        assertTrue(checked >= 1, "no clear-cut greedy case to check");
    }

    @Test
    void aGpuPlacementOnThisCpuOnlyEngineFailsBeforeLoadingNamingTheSetup() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BioGptModel.load(
                Fixtures.model("causal-lm"), ModelOptions.defaults().withPlacement(Placement.gpu(0, GpuDtype.F16))));
        assertTrue(e.getMessage().contains("cannot place the model on gpu:0 (f16)"), e.getMessage());
        assertTrue(e.getMessage().contains("CPU-only build") && e.getMessage().contains("PYTORCH_FLAVOR=cu128"), e.getMessage());
    }

    @Test
    void weightsOfOnePlacementCannotRunUnderAnother() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BioGptModel(half.weights(), ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("cpu (f32)"), e.getMessage());
    }

    @Test
    void bf16IsNeverAComputeType() {
        assertThrows(IllegalArgumentException.class, () -> new Placement(Device.cpu(), DataType.BFLOAT16));
    }

    private static void assertNear(String what, JsonNode golden, float[] logits) {
        long[] ids = longs(golden.get("top20_ids"));
        float[] vals = floats(golden.get("top20_values"));
        for (int k = 0; k < ids.length; k++) {
            assertFalse(Float.isNaN(logits[(int) ids[k]]), what);
            assertEquals(vals[k], logits[(int) ids[k]], F16_TOL, what + ": logit of top-" + k + " id " + ids[k]);
        }
    }

    private static double topGap(JsonNode golden) {
        float[] vals = floats(golden.get("top20_values"));
        return vals[0] - vals[1];
    }
}
