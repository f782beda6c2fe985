package org.biogpt.spark.udfs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionOptionsTest {
    @Test
    void aFunctionWithoutItsOwnCheckpointRunsOnTheSharedOne() {
        FunctionOptions o = FunctionOptions.of("/m/shared").withModel("classify", "/m/cls");
        assertEquals("/m/cls", o.modelFor("classify"));
        for (String f : new String[] {"entities", "embed", "relations", "answer"}) {
            assertEquals("/m/shared", o.modelFor(f), f);
        }
    }

    @Test
    void sparkSettingsNameEachFunctionsOwnCheckpoint() {
        Map<String, String> conf = Map.of("spark.biogpt.model", "/m/shared", "spark.biogpt.entities.model", "/m/ner",
                "spark.biogpt.answer.model", "/m/qa");
        FunctionOptions o = FunctionOptions.fromConf(conf::get);
        assertEquals("/m/shared", o.modelPath());
        assertEquals("/m/ner", o.modelFor("entities"));
        assertEquals("/m/qa", o.modelFor("answer"));
        assertEquals("/m/shared", o.modelFor("relations"));
        assertEquals(Map.of("entities", "/m/ner", "answer", "/m/qa"), o.functionModels());
    }

    @Test
    void aCheckpointForAFunctionThatTakesNoneIsRefused() {
        FunctionOptions o = FunctionOptions.of("/m/shared");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withModel("tokenize", "/m/x"));
        assertTrue(e.getMessage().contains("'tokenize'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.modelFor("classifier"));
    }
}
