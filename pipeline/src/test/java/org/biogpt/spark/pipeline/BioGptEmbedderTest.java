package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.copy;
import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BioGptEmbedderTest {
    static void assertVector(float[] expected, Vector actual, double tol) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.apply(i), tol, "dim " + i);
        }
    }

    @Test
    void meanAndLastEmbeddingsEqualOneTextAtATimeCoreCallsInInputOrder() {
        List<String> texts = Fixtures.mixedDocuments();
        for (String pooling : List.of("mean", "last")) {
            List<Row> out = new BioGptEmbedder().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setPooling(pooling)
                    .setMaxTokensPerBatch(300).transform(TestSpark.docs(texts, 3)).collectAsList();
            for (int i = 0; i < texts.size(); i++) {
                Row r = out.get(i);
                assertEquals(i, r.getInt(0));
                String text = texts.get(i);
                if (text == null || text.isBlank() || text.equals(Fixtures.text("t059"))) {
                    assertTrue(r.isNullAt(2));
                    continue;
                }
                assertNull(r.get(3));
                assertVector(Direct.embed(Fixtures.CAUSAL_LM, text, pooling.equals("mean")), (Vector) r.get(2), 1e-5);
            }
        }
    }

    /** Golden last_hidden_state (first 8 dims per position): mean over positions and the last position. */
    @Test
    void embeddingsMatchGoldenHiddenStates() {
        List<String> ids = List.of("t001", "t011", "t040");
        List<String> texts = ids.stream().map(Fixtures::text).toList();
        BioGptEmbedder embedder = new BioGptEmbedder().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM));
        List<Row> mean = embedder.transform(TestSpark.docs(texts, 2)).collectAsList();
        List<Row> last = embedder.setPooling("last").transform(TestSpark.docs(texts, 2)).collectAsList();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode first8 = Fixtures.entry(golden().get("hidden_states"), ids.get(i)).get("first8");
            int t = first8.size();
            float[] expectedMean = new float[8];
            for (int p = 0; p < t; p++) {
                float[] row = floats(first8.get(p));
                for (int d = 0; d < 8; d++) {
                    expectedMean[d] += row[d] / t;
                }
            }
            Vector m = (Vector) mean.get(i).get(2);
            Vector l = (Vector) last.get(i).get(2);
            for (int d = 0; d < 8; d++) {
                assertEquals(expectedMean[d], m.apply(d), 1e-4);
                assertEquals(floats(first8.get(t - 1))[d], l.apply(d), 1e-4);
            }
        }
    }

    @Test
    void fourEmbeddersOnOneCheckpointWithOtherSettingsAndSpellingsLoadOneCopy(@TempDir Path dir) {
        String path = copy(Fixtures.CAUSAL_LM, dir.resolve("lm")).toString();
        List<BioGptEmbedder> stages = List.of(
                new BioGptEmbedder().setModelPath(path).setTruncation("truncate"),
                new BioGptEmbedder().setModelPath(path).setTruncation("error"),
                new BioGptEmbedder().setModelPath(path).setNumThreads(2),
                new BioGptEmbedder().setModelPath(Path.of(path).toUri().toString()));
        List<String> texts = List.of(Fixtures.text("t001"), Fixtures.text("t011"));
        List<List<Row>> outputs = new ArrayList<>();
        for (BioGptEmbedder stage : stages) {
            outputs.add(stage.transform(TestSpark.docs(texts, 2)).collectAsList());
        }
        assertEquals(1, ModelCache.loadCount(ModelSpec.cpu(path)), "one copy of the weights for all four stages");
        for (List<Row> out : outputs) {
            for (int i = 0; i < texts.size(); i++) {
                assertVector(Direct.embed(Fixtures.CAUSAL_LM, texts.get(i), true), (Vector) out.get(i).get(2), 1e-5);
            }
        }
    }
}
