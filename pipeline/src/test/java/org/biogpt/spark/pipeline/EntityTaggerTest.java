package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.floats;
import static org.biogpt.spark.core.Fixtures.golden;
import static org.biogpt.spark.core.Fixtures.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.core.task.AggregationStrategy;
import org.biogpt.spark.core.task.EntitySpan;
import org.biogpt.spark.core.task.EntitySpanDecoder;
import org.junit.jupiter.api.Test;

class EntityTaggerTest {
    private static final double TOL = 1e-5;

    static void assertSpans(List<EntitySpan> expected, List<Row> actual, double tol) {
        assertEquals(expected.size(), actual.size(), "spans " + expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            EntitySpan e = expected.get(i);
            Row a = actual.get(i);
            assertEquals(e.label(), a.getString(0));
            assertEquals(e.start(), a.getInt(1));
            assertEquals(e.end(), a.getInt(2));
            assertEquals(e.text(), a.getString(3));
            assertEquals(e.score(), a.getDouble(4), tol);
        }
    }

    private static EntityTagger tagger() {
        return new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)).setBatchSize(4).setMaxTokensPerBatch(200);
    }

    @Test
    void entitiesEqualOneTextAtATimeCoreCallsInInputOrder() {
        List<String> texts = Fixtures.mixedDocuments();
        List<Row> out = tagger().transform(TestSpark.docs(texts, 3)).collectAsList();
        assertEquals(texts.size(), out.size());
        int withSpans = 0;
        for (int i = 0; i < texts.size(); i++) {
            Row r = TestSpark.inInputOrder(out, i);
            String text = texts.get(i);
            if (text == null || text.isBlank() || text.equals(Fixtures.text("t059"))) {
                assertTrue(r.isNullAt(2), "row " + i);
                assertFalse(r.isNullAt(3), "row " + i + " has an error");
                continue;
            }
            assertNull(r.get(3), "row " + i);
            List<Row> spans = r.getList(2);
            withSpans += spans.isEmpty() ? 0 : 1;
            assertSpans(Direct.entities(text, Integer.MAX_VALUE), spans, TOL);
        }
        assertTrue(withSpans > 5, "the fixture model tags entities in most texts");
    }

    @Test
    void entitiesFollowGoldenTokenClassificationLogits() {
        List<String> ids = List.of("t000", "t004", "t013", "t037");
        List<String> texts = ids.stream().map(Fixtures::text).toList();
        List<Row> out = tagger().transform(TestSpark.docs(texts, 2)).collectAsList();
        var tokenizer = Direct.tokenizer(Fixtures.TOKEN_CLS);
        var labels = Fixtures.direct(Fixtures.TOKEN_CLS).config().id2label();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode g = Fixtures.entry(golden().get("token_classification"), ids.get(i));
            Encoding e = tokenizer.encode(texts.get(i));
            assertArrayEquals(ints(g.get("input_ids")), e.ids());
            float[][] logits = new float[e.length()][];
            for (int t = 0; t < logits.length; t++) {
                logits[t] = floats(g.get("logits").get(t));
            }
            // Spans decoded from the reference's logits; scores agree to the golden tolerance.
            assertSpans(new EntitySpanDecoder(labels).decode(texts.get(i), e, logits, AggregationStrategy.SIMPLE),
                    out.get(i).getList(2), 1e-4);
        }
    }

    @Test
    void everyAggregationStrategyEqualsCoresDecoder() {
        List<String> texts = Fixtures.mixedDocuments();
        for (AggregationStrategy strategy : AggregationStrategy.values()) {
            String name = strategy.name().toLowerCase(java.util.Locale.ROOT);
            List<Row> out = tagger().setAggregationStrategy(name).transform(TestSpark.docs(texts, 2)).collectAsList();
            for (int i = 0; i < texts.size(); i++) {
                if (out.get(i).isNullAt(2)) {
                    continue;
                }
                assertSpans(Direct.entities(texts.get(i), Integer.MAX_VALUE, strategy), out.get(i).getList(2), TOL);
            }
        }
        // the strategies differ on this model, so the param reaches the decoder
        List<Row> none = tagger().setAggregationStrategy("none").transform(TestSpark.docs(texts, 1)).collectAsList();
        List<Row> simple = tagger().transform(TestSpark.docs(texts, 1)).collectAsList();
        assertFalse(none.equals(simple));
    }

    @Test
    void truncationKeepsTheFirstTokensOfLongTexts() {
        String text = Fixtures.text("t059");
        Row r = tagger().setTruncation("truncate").transform(TestSpark.docs(List.of(text), 1)).first();
        assertNull(r.get(3));
        assertSpans(Direct.entities(text, 128), r.getList(2), TOL);
        Row limited = tagger().setTruncation("truncate").setMaxInputTokens(20)
                .transform(TestSpark.docs(List.of(text), 1)).first();
        assertSpans(Direct.entities(text, 20), limited.getList(2), TOL);
    }

    @Test
    void tooLongTextUnderErrorPolicyGetsAReasonNotAFailedJob() {
        Row r = tagger().transform(TestSpark.docs(List.of(Fixtures.text("t059")), 1)).first();
        assertTrue(r.isNullAt(2));
        assertTrue(r.getString(3).contains("more than the limit of 128"), r.getString(3));
        assertEquals("entities_error", tagger().getErrorCol());
    }
}
