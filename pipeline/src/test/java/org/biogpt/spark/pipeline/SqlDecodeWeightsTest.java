package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLease;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.sql.BioGptFunctions;
import org.biogpt.spark.udfs.sql.FunctionOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL functions' decodeWeights option reaches the generating functions' model, as the stages' param does. */
class SqlDecodeWeightsTest {
    private static final int NEW_TOKENS = 12;
    private static final List<String> TEXTS = List.of(Fixtures.text("t000"), Fixtures.text("t026"), Fixtures.text("t013"));

    @BeforeAll
    static void register() {
        BioGptFunctions.register(TestSpark.session(), FunctionOptions.of(Fixtures.path(Fixtures.CAUSAL_LM))
                .withMaxNewTokens(NEW_TOKENS).withDecodeWeights(DecodeWeights.BF16));
        TestSpark.docs(TEXTS, 2).createOrReplaceTempView("bf16docs");
    }

    @Test
    void bf16RelationsEqualTheBf16StageAndRunOnTheBf16PackedModel() {
        List<Row> stage = new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setTask("bc5cdr")
                .setMaxNewTokens(NEW_TOKENS).setDecodeWeights("bf16").transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = TestSpark.session().sql("SELECT id, biogpt_relations(text, 'bc5cdr') FROM bf16docs ORDER BY id")
                .collectAsList();
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(stage.get(i).get(2), sql.get(i).getStruct(1).get(0), "row " + i);
            assertEquals(stage.get(i).get(3), sql.get(i).getStruct(1).get(1), "row " + i);
        }
        ModelLease lease = ModelCache.acquire(ModelSpec.cpu(Fixtures.path(Fixtures.CAUSAL_LM))
                .withDecodeWeights(DecodeWeights.BF16), Device.CPU);
        assertFalse(lease.loadedByThisCall());
        assertEquals(DecodeWeights.BF16, lease.model().options().decodeWeights());
        assertTrue(lease.model().backend().javaSteps() > 0);
    }
}
