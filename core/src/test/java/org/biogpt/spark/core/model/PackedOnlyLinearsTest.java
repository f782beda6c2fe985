package org.biogpt.spark.core.model;

import static org.biogpt.spark.core.model.CausalLmParityTest.assertClose;
import static org.biogpt.spark.core.model.CausalLmParityTest.assertLogits;
import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.junit.jupiter.api.Test;

/**
 * Once the decode kernel has packed a model's linears, the packed copy is the decoder layers' only
 * copy (libtorch's is released), and everything that multiplies on libtorch afterwards (prefill,
 * scoring, another model on the same weights) still gives the reference's numbers and the numbers
 * it gave before, bit for bit (the re-laid weights are the same floats in libtorch's own layout, so
 * its GEMM takes the same code path).
 */
class PackedOnlyLinearsTest {
    private static final ModelOptions KERNEL = ModelOptions.defaults().withThreads(2).withDecodeKernel(true);
    private static final Batch PROMPTS = Batch.leftPadded(List.of(new long[] {2, 5, 9, 11}, new long[] {2, 7}), 1);

    /** Runs one Java decode step, which packs the linears. */
    private static void decodeOnce(BioGptModel m) {
        try (ForwardState s = m.prefill(PROMPTS)) {
            s.step(new long[] {4, 4});
            s.logits();
        }
        assertEquals(1, m.backend().javaSteps(), "the step ran in Java");
    }

    @Test
    void theFirstDecodeStepReleasesLibtorchsCopyOfEveryLayerLinear() {
        try (BioGptModel m = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL)) {
            int arrays = m.weights().ownedArrayCount();
            assertFalse(m.weights().packed().releasedLibtorchCopies());
            decodeOnce(m);
            assertTrue(m.weights().packed().releasedLibtorchCopies());
            int layers = m.config().numLayers();
            assertEquals(arrays - 7 * layers, m.weights().ownedArrayCount(),
                    "q, k, v, out, fc1, fc2 of each layer freed, and the allocation they are views of");
            for (int l = 0; l < layers; l++) {
                assertTrue(m.weights().linearBlock(l).isReleased());
            }
            for (LayerWeights w : m.weights().layers()) {
                for (NDArray a : List.of(w.qWeight(), w.kWeight(), w.vWeight(), w.outWeight(), w.fc1Weight(), w.fc2Weight())) {
                    assertTrue(a.isReleased());
                }
                assertFalse(w.qBias().isReleased(), "biases stay in libtorch");
            }
            assertFalse(m.weights().embedTokens().isReleased(), "the embedding (lookups, prefill's LM head) stays in libtorch");
        }
    }

    @Test
    void scoringAfterTheReleaseMatchesTheReferenceAndTheScoresBeforeIt() {
        JsonNode goldens = Fixtures.golden().get("causal_lm");
        try (BioGptModel m = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL)) {
            List<JsonNode> cases = new java.util.ArrayList<>();
            goldens.get("single").forEach(e -> {
                if (!e.has("error")) {
                    cases.add(e);
                }
            });
            assertTrue(cases.size() >= 20, "goldens " + cases.size());
            float[][] before = new float[cases.size()][];
            for (int i = 0; i < cases.size(); i++) {
                before[i] = m.score(Batch.of(longs(cases.get(i).get("input_ids"))))[0].lastLogits();
            }
            decodeOnce(m);
            assertTrue(m.weights().packed().releasedLibtorchCopies());
            for (int i = 0; i < cases.size(); i++) {
                JsonNode e = cases.get(i);
                String id = e.get("id").asText();
                long[] ids = longs(e.get("input_ids"));
                TokenScores s = m.score(Batch.of(ids))[0];
                assertLogits(id + " last", e.get("last_logits"), s.lastLogits());
                assertClose(id + " next_token_logprobs", floats(e.get("next_token_logprobs")), s.nextTokenLogprobs());
                assertLogits(id + " first", e.get("first_logits"), m.logits(Batch.of(ids))[0][0]);
                assertArrayEquals(before[i], s.lastLogits(), id + ": the same weights, re-laid, give the same logits");
            }
            JsonNode g = goldens.get("batch_left_padded");
            Batch batch = TinyModels.batch(g.get("input_ids"), g.get("attention_mask"));
            try (ForwardState state = m.prefill(batch)) {
                float[][] logits = state.logits();
                for (int r = 0; r < batch.size(); r++) {
                    assertLogits("prefill row " + r, g.get("rows").get(r).get("last_logits"), logits[r]);
                }
            }
        }
    }

    @Test
    void aBf16ModelOnReleasedWeightsGetsTheSameBf16CopyAsFromLibtorch() {
        try (BioGptModel m = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL);
             BioGptModel fresh = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL.withDecodeWeights(DecodeWeights.BF16))) {
            decodeOnce(m);
            long fp32Bytes = m.backend().packedWeightBytes();
            // Shares m's weights, whose layer linears now live only in the fp32 packed copy; not closed (m closes them).
            BioGptModel half = new BioGptModel(m.weights(), KERNEL.withDecodeWeights(DecodeWeights.BF16));
            try (ForwardState a = half.prefill(PROMPTS); ForwardState b = fresh.prefill(PROMPTS)) {
                for (int step = 0; step < 4; step++) {
                    float[][] la = a.logits();
                    float[][] lb = b.logits();
                    long[] next = new long[la.length];
                    for (int r = 0; r < la.length; r++) {
                        assertArrayEquals(lb[r], la[r], "step " + step + " row " + r
                                + ": bf16 narrowed from the fp32 panels = bf16 packed from libtorch's floats");
                        next[r] = TinyModels.argmax(la[r]);
                    }
                    a.step(next);
                    b.step(next);
                }
            }
            assertEquals(4, half.backend().javaSteps(), "the bf16 model's steps ran in Java");
            assertTrue(m.backend().packedWeightBytes() > fp32Bytes, "a second, bf16 copy beside the fp32 one");
        }
    }

    @Test
    void aModelWithoutTheKernelOnReleasedWeightsReadsThePackedCopy() {
        try (BioGptModel m = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL);
             BioGptModel reference = BioGptModel.load(Fixtures.model("causal-lm"), KERNEL.withDecodeKernel(false))) {
            decodeOnce(m);
            // Shares m's weights; not closed, since closing a model closes its weights (m does).
            BioGptModel plain = new BioGptModel(m.weights(), KERNEL.withDecodeKernel(false));
            try (ForwardState a = plain.prefill(PROMPTS); ForwardState b = reference.prefill(PROMPTS)) {
                for (int step = 0; step < 6; step++) {
                    float[][] la = a.logits();
                    float[][] lb = b.logits();
                    long[] next = new long[la.length];
                    for (int r = 0; r < la.length; r++) {
                        assertArrayEquals(lb[r], la[r], "step " + step + " row " + r + ": libtorch on re-laid weights = libtorch on its own");
                        next[r] = TinyModels.argmax(la[r]);
                    }
                    a.step(next);
                    b.step(next);
                }
            }
            assertEquals(0, plain.backend().javaSteps());
        }
    }
}
