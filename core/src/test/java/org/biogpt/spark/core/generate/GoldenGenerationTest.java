package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden generation case of both fixtures through the real model and its KV cache. */
class GoldenGenerationTest {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("org.biogpt.spark.core.generate.GoldenCases#all")
    void generatesTheReferenceTokensAndBeamScores(String folder, String name) {
        JsonNode c = GoldenCases.find(folder, name);
        GenerationConfig config = GoldenCases.config(folder, c.get("params"));
        List<int[]> prompts = GoldenCases.prompts(c);
        if (c.has("attention_mask")) {
            assertPaddedLikeTheReference(c, prompts, config.padTokenId());
        }

        List<GenerationResult> results;
        try (StepModel model = new BioGptStepModel(GoldenCases.model(folder))) {
            results = new Generator(model).generate(prompts, config);
        }

        int perPrompt = c.get("params").path("num_return_sequences").asInt(1);
        JsonNode newTokens = c.get("new_tokens");
        JsonNode scores = c.get("sequences_scores");
        assertEquals(prompts.size() * perPrompt, newTokens.size());
        assertEquals(prompts.size(), results.size());
        for (int p = 0; p < prompts.size(); p++) {
            List<GeneratedSequence> seqs = results.get(p).sequences();
            assertEquals(perPrompt, seqs.size(), "sequences of prompt " + p);
            for (int s = 0; s < perPrompt; s++) {
                int row = p * perPrompt + s;
                GeneratedSequence got = seqs.get(s);
                int[] want = GoldenCases.stripTrailingPads(newTokens.get(row), config.padTokenId());
                assertArrayEquals(want, got.tokens(), name + " row " + row);
                boolean endsWithEos = want.length > 0 && config.isEos(want[want.length - 1]);
                assertEquals(endsWithEos ? StopReason.EOS : StopReason.MAX_LENGTH, got.stopReason(), name + " row " + row);
                if (scores != null) {
                    assertEquals(scores.get(row).asDouble(), got.score(), 1e-4, name + " score of row " + row);
                }
            }
        }
    }

    private static void assertPaddedLikeTheReference(JsonNode c, List<int[]> prompts, int pad) {
        PaddedBatch batch = PaddedBatch.leftPad(prompts, pad);
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 0; t < batch.width; t++) {
                assertEquals(c.get("input_ids").get(r).get(t).asLong(), batch.ids[r][t], "input_ids[" + r + "][" + t + "]");
                assertEquals(c.get("attention_mask").get(r).get(t).asInt(), batch.mask[r][t], "mask[" + r + "][" + t + "]");
            }
        }
    }
}
