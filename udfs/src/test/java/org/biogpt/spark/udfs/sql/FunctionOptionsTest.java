package org.biogpt.spark.udfs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.biogpt.spark.core.kernel.DecodeWeights;
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

    @Test
    void decodeWeightsComeFromTheirSettingAndDefaultToFp32() {
        assertEquals(DecodeWeights.FP32, FunctionOptions.fromConf(Map.of("spark.biogpt.model", "/m")::get).decodeWeights());
        assertEquals(DecodeWeights.FP32, FunctionOptions.of("/m").decodeWeights());
        FunctionOptions half = FunctionOptions.fromConf(Map.of("spark.biogpt.model", "/m", "spark.biogpt.decodeWeights", "bf16")::get);
        assertEquals(DecodeWeights.BF16, half.decodeWeights());
        // Changing another option keeps the format.
        assertEquals(DecodeWeights.BF16, half.withMaxNewTokens(8).withModel("answer", "/qa").withDevice(half.device()).decodeWeights());
        assertEquals(DecodeWeights.BF16, FunctionOptions.of("/m").withDecodeWeights(DecodeWeights.BF16).decodeWeights());
    }

    @Test
    void anUnknownDecodeWeightFormatNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FunctionOptions.fromConf(
                Map.of("spark.biogpt.model", "/m", "spark.biogpt.decodeWeights", "int8")::get));
        assertTrue(e.getMessage().contains("spark.biogpt.decodeWeights") && e.getMessage().contains("int8"), e.getMessage());
    }
}
