package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
