package org.biogpt.spark.core.model;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.ints;
import static org.biogpt.spark.core.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A microsoft/BioGPT fairseq folder loaded as it is, against Hugging Face run on the same weights
 * with the vocabulary extended by the task's learned tokens (re-prompt9.golden.json).
 */
class FairseqFolderParityTest {
    private static final Path FOLDER = Fixtures.fairseq().resolve("re-prompt9");
    private static BioGptModel model;
    private static JsonNode golden;

    @BeforeAll
    static void load() {
        model = BioGptModel.load(FOLDER);
        golden = Fixtures.fairseqGolden();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void scoresMatchTheReferenceOverTheWholeExtendedVocabulary() {
        int checked = 0;
        for (JsonNode e : golden.get("causal_lm").get("single")) {
            String id = e.get("id").asText();
            TokenScores s = model.score(Batch.of(longs(e.get("input_ids"))))[0];
            float[] logits = s.lastLogits();
            assertEquals(42393, logits.length, id);
            CausalLmParityTest.assertLogits(id, e.get("last_logits"), logits);
            CausalLmParityTest.assertClose(id + " next_token_logprobs", floats(e.get("next_token_logprobs")),
                    s.nextTokenLogprobs());
            checked++;
        }
        assertEquals(12, checked);
    }

    @Test
    void greedyGenerationGivesTheReferenceTokens() {
        List<int[]> prompts = new ArrayList<>();
        for (JsonNode g : golden.get("greedy")) {
            prompts.add(ints(g.get("input_ids")));
        }
        GenerationConfig config = GenerationConfig.load(FOLDER).withMaxNewTokens(12);
        List<GenerationResult> results;
        try (BioGptStepModel step = new BioGptStepModel(model)) {
            results = new Generator(step).generate(prompts, config);
        }
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode g = golden.get("greedy").get(i);
            assertArrayEquals(ints(g.get("new_tokens")), results.get(i).sequences().get(0).tokens(), g.get("id").asText());
        }
    }
}
