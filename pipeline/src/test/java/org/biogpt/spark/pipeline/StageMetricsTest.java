package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.AccumulatorContext;
import org.biogpt.spark.udfs.metrics.MetricsSnapshot;
import org.junit.jupiter.api.Test;

class StageMetricsTest {
    @Test
    void accumulatorsCountDocumentsTokensBatchesAndErrorRows() {
        List<String> texts = Fixtures.mixedDocuments();
        DocumentClassifier stage = new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS))
                .setBatchSize(3);
        stage.transform(TestSpark.docs(texts, 2)).collectAsList();
        MetricsSnapshot m = stage.lastMetrics().snapshot();
        var tokenizer = Direct.tokenizer(Fixtures.SEQUENCE_CLS);
        long valid = texts.size() - Fixtures.errorRows(texts);
        long tokens = texts.stream().filter(t -> t != null && !t.isBlank() && !t.equals(Fixtures.text("t059")))
                .mapToLong(t -> tokenizer.encode(t).length()).sum();
        assertEquals(texts.size(), m.documents());
        assertEquals(Fixtures.errorRows(texts), m.errors());
        assertEquals(tokens, m.tokens());
        // at most 3 rows per batch, in 2 partitions
        assertTrue(m.batches() >= (valid + 2) / 3 && m.batches() <= (valid + 2) / 3 + 2, "batches " + m.batches());
    }

    @Test
    void fiftyTransformsOfOneStageAddAtMostOneListenerAndOneSetOfAccumulators() {
        SparkContext sc = TestSpark.session().sparkContext();
        List<String> texts = List.of("Aspirin.", "Famotidine-associated delirium.");
        DocumentClassifier stage = new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS));
        stage.transform(TestSpark.docs(texts, 1)); // the tokenizer broadcast is made once, before counting
        int listeners = sc.listenerBus().listeners().size();
        int accumulators = AccumulatorContext.numAccums();
        Dataset<Row> last = null;
        for (int i = 0; i < 50; i++) {
            last = stage.transform(TestSpark.docs(texts, 1));
        }
        assertTrue(sc.listenerBus().listeners().size() - listeners <= 1, "listeners grew from " + listeners
                + " to " + sc.listenerBus().listeners().size());
        assertTrue(AccumulatorContext.numAccums() - accumulators <= 5, "accumulators grew from " + accumulators
                + " to " + AccumulatorContext.numAccums());
        // Each transform still reports its own rows.
        assertEquals(2, last.count());
        assertEquals(2, stage.lastMetrics().snapshot().documents());
        assertEquals(2, stage.transform(TestSpark.docs(texts, 1)).collectAsList().size());
        assertEquals(2, stage.lastMetrics().snapshot().documents());
    }
}
