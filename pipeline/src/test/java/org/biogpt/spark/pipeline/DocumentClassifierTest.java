package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.task.Classification;
import org.junit.jupiter.api.Test;

class DocumentClassifierTest {
    static void assertClassification(Classification expected, Row actual, double tol) {
        assertEquals(expected.label(), actual.getString(0));
        Map<String, Double> probabilities = actual.getJavaMap(1);
        assertEquals(expected.probabilities().keySet(), probabilities.keySet());
        expected.probabilities().forEach((k, v) -> assertEquals(v, probabilities.get(k), tol, k));
    }

    private static DocumentClassifier classifier() {
        return new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS)).setBatchSize(3);
    }

    @Test
    void labelsAndProbabilitiesEqualOneTextAtATimeCoreCallsInInputOrder() {
        List<String> texts = Fixtures.mixedDocuments();
        List<Row> out = classifier().transform(TestSpark.docs(texts, 4)).collectAsList();
        for (int i = 0; i < texts.size(); i++) {
            Row r = TestSpark.inInputOrder(out, i);
            String text = texts.get(i);
            if (text == null || text.isBlank() || text.equals(Fixtures.text("t059"))) {
                assertTrue(r.isNullAt(2));
                assertFalse(r.isNullAt(3));
                continue;
            }
            assertNull(r.get(3));
            assertClassification(Direct.classify(text), r.getStruct(2), 1e-5);
        }
    }

    @Test
    void probabilitiesAreTheSoftmaxOfGoldenSequenceClassificationLogits() {
        List<String> ids = List.of("t000", "t006", "t011", "t038");
        List<Row> out = classifier().transform(TestSpark.docs(ids.stream().map(Fixtures::text).toList(), 2))
                .collectAsList();
        Map<Integer, String> labels = Map.of(0, "yes", 1, "no", 2, "maybe");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode g = Fixtures.entry(golden().get("sequence_classification").get("single"), ids.get(i));
            Classification expected = Classification.of(floats(g.get("logits")), labels, false);
            assertEquals(g.get("label").asText(), expected.label());
            assertClassification(expected, out.get(i).getStruct(2), 1e-4);
        }
    }
}
