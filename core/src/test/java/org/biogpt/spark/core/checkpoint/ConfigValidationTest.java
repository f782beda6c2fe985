package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** config.json of a checkpoint: the fixtures load as the golden says, broken ones fail clearly. */
class ConfigValidationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"causal-lm", "causal-lm-bf16", "token-classification", "sequence-classification"})
    void fixtureConfigsLoadWithGoldenValues(String folder) {
        JsonNode g = Fixtures.golden().path("models").path(folder).path("config");
        BioGptConfig c = BioGptConfig.load(Fixtures.model(folder));
        assertEquals(g.path("vocab_size").asInt(), c.vocabSize());
        assertEquals(g.path("hidden_size").asInt(), c.hiddenSize());
        assertEquals(g.path("num_hidden_layers").asInt(), c.numLayers());
        assertEquals(g.path("num_attention_heads").asInt(), c.numHeads());
        assertEquals(g.path("intermediate_size").asInt(), c.intermediateSize());
        assertEquals(g.path("max_position_embeddings").asInt(), c.maxPositions());
        assertEquals(g.path("id2label").size(), c.numLabels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hidden_size", "vocab_size", "num_hidden_layers", "num_attention_heads",
            "intermediate_size", "max_position_embeddings"})
    void missingRequiredKeyIsNamed(String key) throws IOException {
        ObjectNode cfg = fixtureConfig();
        cfg.remove(key);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BioGptConfig.load(write(cfg)));
        assertTrue(e.getMessage().contains("missing required key '" + key + "'"), e.getMessage());
    }

    @Test
    void badJsonIsReported() throws IOException {
        Files.writeString(tmp.resolve("config.json"), "{\"hidden_size\": 32,");
        CheckpointException e = assertThrows(CheckpointException.class, () -> BioGptConfig.load(tmp));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void hiddenSizeNotDivisibleByHeads() throws IOException {
        ObjectNode cfg = fixtureConfig();
        cfg.put("num_attention_heads", 5);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BioGptConfig.load(write(cfg)));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
    }

    @Test
    void nonPositiveSizeIsRefused() throws IOException {
        ObjectNode cfg = fixtureConfig();
        cfg.put("hidden_size", -32);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BioGptConfig.load(write(cfg)));
        assertTrue(e.getMessage().contains("'hidden_size' must be a positive integer"), e.getMessage());
    }

    @Test
    void missingConfigFile() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> BioGptConfig.load(tmp));
        assertTrue(e.getMessage().contains("no config.json"), e.getMessage());
    }

    private ObjectNode fixtureConfig() throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(Fixtures.model("causal-lm").resolve("config.json").toFile());
    }

    private Path write(ObjectNode cfg) throws IOException {
        Files.writeString(tmp.resolve("config.json"), cfg.toString());
        return tmp;
    }
}
