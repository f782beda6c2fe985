package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.checkpoint.CheckpointException;
import org.biogpt.spark.core.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;

/** Key names, tying, shape and presence checks of the weight loader. */
class BioGptWeightsTest {

    private static BioGptConfig config(String folder, Function<ObjectNode, ObjectNode> edit) {
        ObjectNode c = ((ObjectNode) Fixtures.golden().get("models").get(folder).get("config")).deepCopy();
        return BioGptConfig.fromJson(edit.apply(c), folder);
    }

    private static EditedStateDict state(String folder, UnaryOperator<String> rename) {
        return new EditedStateDict(SafetensorsFile.open(Fixtures.model(folder).resolve("model.safetensors")), rename);
    }

    private static String loadError(EditedStateDict s, BioGptConfig c) {
        try (s) {
            return assertThrows(CheckpointException.class, () -> BioGptWeights.load(s, c).close()).getMessage();
        }
    }

    @Test
    void bareNamesOfABioGptModelSavedAloneGiveTheSameLogitsAsHubNames() {
        BioGptConfig c = config("causal-lm", n -> n);
        JsonNode g = Fixtures.golden().get("causal_lm").get("single").get(0);
        Batch batch = Batch.of(Fixtures.longs(g.get("input_ids")));
        try (EditedStateDict s = state("causal-lm", n -> n.replaceFirst("^biogpt\\.", ""));
             BioGptModel bare = new BioGptModel(BioGptWeights.load(s, c), ModelOptions.defaults())) {
            float[] got = bare.lastLogits(batch)[0];
            CausalLmParityTest.assertLogits("bare names", g.get("last_logits"), got);
        }
    }

    @Test
    void storedOutputProjectionIsCheckedAndTiedToTheEmbedding() {
        BioGptConfig c = config("causal-lm", n -> n);
        try (EditedStateDict s = state("causal-lm", n -> n)) {
            float[] embed = s.readFloats("biogpt.embed_tokens.weight");
            s.put("output_projection.weight", embed, 42384, 32);
            try (BioGptWeights w = BioGptWeights.load(s, c)) {
                assertTrue(w.lmHead() == w.embedTokens());
            }
        }
        String msg = loadError(state("causal-lm", n -> n).put("output_projection.weight", new float[42384 * 16], 42384, 16), c);
        assertTrue(msg.contains("'output_projection.weight' has shape [42384, 16]"), msg);
    }

    @Test
    void missingUnexpectedAndMisshapenTensorsAreNamed() {
        BioGptConfig c = config("causal-lm", n -> n);
        String missing = loadError(state("causal-lm", n -> n).remove("biogpt.layers.1.fc2.bias"), c);
        assertTrue(missing.contains("missing tensor 'biogpt.layers.1.fc2.bias'"), missing);
        String unexpected = loadError(state("causal-lm", n -> n).put("biogpt.layers.2.fc1.weight", new float[4], 2, 2), c);
        assertTrue(unexpected.contains("unexpected tensors in checkpoint: [biogpt.layers.2.fc1.weight]"), unexpected);
        String shape = loadError(state("causal-lm", n -> n).put("biogpt.layers.0.fc1.weight", new float[32 * 63], 63, 32), c);
        assertTrue(shape.contains("'biogpt.layers.0.fc1.weight' has shape [63, 32]") && shape.contains("needs [64, 32]"), shape);
    }

    @Test
    void configVocabularyThatDisagreesWithTheEmbeddingIsRefused() {
        BioGptConfig c = config("causal-lm", n -> n.put("vocab_size", 42000));
        String msg = loadError(state("causal-lm", n -> n), c);
        assertTrue(msg.contains("'biogpt.embed_tokens.weight' has shape [42384, 32]") && msg.contains("vocab_size 42000"), msg);
        BioGptConfig layers = config("causal-lm", n -> n.put("num_hidden_layers", 3));
        String l = loadError(state("causal-lm", n -> n), layers);
        assertTrue(l.contains("missing tensor 'biogpt.layers.2."), l);
    }

    @Test
    void learnedPromptVocabularyLargerThanBioGptsLoadsAndScoresTheNewTokens() {
        int extra = 9;  // learned1..learned9 appended after the 42384 BioGPT pieces
        BioGptConfig c = config("causal-lm", n -> n.put("vocab_size", 42384 + extra));
        try (EditedStateDict s = state("causal-lm", n -> n)) {
            float[] embed = s.readFloats("biogpt.embed_tokens.weight");
            float[] grown = Arrays.copyOf(embed, embed.length + extra * 32);
            for (int i = embed.length; i < grown.length; i++) {
                grown[i] = 0.01f * ((i % 7) - 3);
            }
            s.put("biogpt.embed_tokens.weight", grown, 42384 + extra, 32);
            try (BioGptModel m = new BioGptModel(BioGptWeights.load(s, c), ModelOptions.defaults())) {
                float[] logits = m.lastLogits(Batch.of(2, 42384 + 3, 42384 + 8))[0];
                assertEquals(42384 + extra, logits.length);
                // The original rows still give the reference's logits.
                JsonNode g = Fixtures.golden().get("causal_lm").get("single").get(0);
                float[] base = m.lastLogits(Batch.of(Fixtures.longs(g.get("input_ids"))))[0];
                assertEquals(g.get("last_logits").get("top20_values").get(0).asDouble(),
                        base[g.get("last_logits").get("argmax").asInt()], 1e-4);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.lastLogits(Batch.of(2, 42384 + extra)));
                assertTrue(e.getMessage().contains("outside the vocabulary of 42393"), e.getMessage());
            }
        }
    }

    @Test
    void classificationHeadsAreCheckedAgainstTheConfiguredLabels() {
        BioGptConfig c = config("token-classification", n -> n);
        try (EditedStateDict s = state("token-classification", n -> n);
             BioGptWeights w = BioGptWeights.load(s, c)) {
            assertTrue(w.hasTokenClassifier());
            assertArrayEquals(new long[] {5, 32}, w.classifierWeight().getShape().getShape());
        }
        BioGptConfig three = config("token-classification", n -> {
            ((ObjectNode) n.get("id2label")).remove("4");
            ((ObjectNode) n.get("id2label")).remove("3");
            return n;
        });
        String msg = loadError(state("token-classification", n -> n), three);
        assertTrue(msg.contains("'classifier.weight' has shape [5, 32]") && msg.contains("needs [3, 32]"), msg);
        String noBias = loadError(state("token-classification", n -> n).remove("classifier.bias"), c);
        assertTrue(noBias.contains("missing tensor 'classifier.bias'"), noBias);
    }
}
