package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The random real-shape checkpoint loads like a Hub checkpoint, in every stored dtype. */
class RandomCheckpointTest {

    @Test
    void tinyCheckpointsInEveryDtypeLoadWithTheirShapeAndInitialisation(@TempDir Path tmp) throws Exception {
        Path tok = Fixtures.model("causal-lm");
        float[] f32 = null;
        for (DType t : DType.values()) {
            Path dir = tmp.resolve(t.name());
            RandomCheckpoint.write(RandomCheckpoint.ModelShape.TINY, t, dir, tok, 5);
            assertEquals(Files.readString(tok.resolve("vocab.json")), Files.readString(dir.resolve("vocab.json")));
            assertTrue(Files.isRegularFile(dir.resolve("merges.txt")));
            BioGptConfig c = BioGptConfig.load(dir);
            assertEquals(32, c.hiddenSize());
            assertEquals(128, c.maxPositions());
            try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
                assertEquals(DType.valueOf(t.name()), st.info("biogpt.layers.1.fc1.weight").dtype());
                assertArrayEquals(new long[] {130, 32}, st.info("biogpt.embed_positions.weight").shape());
                assertFalse(st.names().contains("output_projection.weight"));
                float[] w = st.readFloats("biogpt.layers.1.fc1.weight");
                double sq = 0;
                for (float v : w) {
                    sq += v * v;
                }
                assertEquals(0.02, Math.sqrt(sq / w.length), 0.002, "std of N(0, 0.02)");
                assertTrue(java.util.Arrays.equals(new float[] {1, 1}, java.util.Arrays.copyOf(st.readFloats("biogpt.layer_norm.weight"), 2)));
                if (f32 == null) {
                    f32 = w;
                } else {
                    // Same seed: F16/BF16 are the F32 values rounded (bf16 keeps 8 bits of mantissa).
                    double tol = t == DType.BF16 ? 1.0 / 256 : 1.0 / 2048;
                    for (int i = 0; i < w.length; i++) {
                        assertEquals(f32[i], w[i], Math.abs(f32[i]) * tol + 1e-7, t + " value " + i);
                    }
                }
            }
            try (BioGptModel m = BioGptModel.load(dir)) {
                float[] logits = m.lastLogits(Batch.of(2, 100, 200))[0];
                assertEquals(42384, logits.length);
                for (float v : logits) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    @Test
    void classificationHeadsAreStoredUnderHuggingFaceNamesWithTheSameBody(@TempDir Path tmp) throws Exception {
        Path tok = Fixtures.model("causal-lm");
        Path lm = tmp.resolve("lm");
        Path ner = tmp.resolve("ner");
        Path cls = tmp.resolve("cls");
        RandomCheckpoint.write(RandomCheckpoint.ModelShape.TINY, DType.F32, lm, tok, 5);
        RandomCheckpoint.write(RandomCheckpoint.ModelShape.TINY, RandomCheckpoint.Head.parse("token-classification", null),
                DType.F32, ner, tok, 5);
        RandomCheckpoint.write(RandomCheckpoint.ModelShape.TINY,
                RandomCheckpoint.Head.parse("sequence-classification", java.util.List.of("a", "b")), DType.F32, cls, tok, 5);
        try (SafetensorsFile a = SafetensorsFile.open(lm.resolve("model.safetensors"));
             SafetensorsFile t = SafetensorsFile.open(ner.resolve("model.safetensors"));
             SafetensorsFile q = SafetensorsFile.open(cls.resolve("model.safetensors"))) {
            assertArrayEquals(a.readFloats("biogpt.layers.1.fc1.weight"), t.readFloats("biogpt.layers.1.fc1.weight"));
            assertArrayEquals(a.readFloats("biogpt.embed_tokens.weight"), q.readFloats("biogpt.embed_tokens.weight"));
            assertArrayEquals(new long[] {5, 32}, t.info("classifier.weight").shape());
            assertArrayEquals(new long[] {5}, t.info("classifier.bias").shape());
            assertArrayEquals(new long[] {2, 32}, q.info("score.weight").shape());
            assertFalse(q.names().contains("score.bias"), "BioGptForSequenceClassification's score has no bias");
            assertFalse(a.names().contains("classifier.weight"));
        }
        com.fasterxml.jackson.databind.JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ner.resolve("config.json").toFile());
        assertEquals("BioGptForTokenClassification", c.get("architectures").get(0).asText());
        assertEquals("B-Disease", c.get("id2label").get("3").asText());
        assertEquals(3, c.get("label2id").get("B-Disease").asInt());
        assertEquals(5, BioGptConfig.load(ner).numLabels());
        try (BioGptModel m = BioGptModel.load(ner)) {
            float[][][] logits = m.classifyTokens(Batch.of(2, 100, 200));
            assertEquals(3, logits[0].length);
            assertEquals(5, logits[0][0].length);
        }
        try (BioGptModel m = BioGptModel.load(cls)) {
            assertEquals(2, m.classifySequences(Batch.of(2, 100, 200))[0].length);
        }
    }

    @Test
    void aHeadNameOrLabelsThatDoNotFitAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RandomCheckpoint.Head.parse("masked-lm", null));
        assertThrows(IllegalArgumentException.class, () -> RandomCheckpoint.Head.parse("causal-lm", java.util.List.of("x")));
        assertThrows(IllegalArgumentException.class,
                () -> new RandomCheckpoint.Head("BioGptForTokenClassification", java.util.List.of()));
    }

    @Test
    void realShapesHaveTheirPublishedSizes() {
        RandomCheckpoint.ModelShape large = RandomCheckpoint.ModelShape.parse("biogpt-large");
        assertEquals(57717, large.vocab);
        assertEquals(1600, large.hidden);
        assertEquals(48, large.layers);
        assertEquals(25, large.heads);
        assertEquals(6400, large.ffn);
        assertEquals(2048, large.positions);
        RandomCheckpoint.ModelShape base = RandomCheckpoint.ModelShape.parse("biogpt");
        // 347M parameters (BioGPT's published size), counting the tied LM head once.
        long d = base.hidden;
        long params = (long) base.vocab * d + (base.positions + 2L) * d
                + base.layers * (4 * d * d + 4 * d + 2 * d * base.ffn + base.ffn + d + 4 * d) + 2 * d;
        assertEquals(347, Math.round(params / 1e6));
    }
}
