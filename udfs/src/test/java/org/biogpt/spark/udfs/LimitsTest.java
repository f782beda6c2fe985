package org.biogpt.spark.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.biogpt.spark.core.generate.EarlyStopping;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.udfs.partition.Limits;
import org.biogpt.spark.udfs.tasks.Decoding;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void inputAndPromptLimits() {
        assertEquals(128, new Limits(0, 128).inputLimit());
        assertEquals(20, new Limits(20, 128).inputLimit());
        assertEquals(128, new Limits(500, 128).inputLimit());
        // a prompt leaves room for the new tokens in the positions; maxInputTokens bounds the prompt alone
        assertEquals(64, new Limits(0, 128).promptLimit(64));
        assertEquals(30, new Limits(30, 128).promptLimit(64));
        assertEquals(28, new Limits(100, 128).promptLimit(100));
        assertEquals(Integer.MAX_VALUE, new Limits(0, Integer.MAX_VALUE).promptLimit(64));
    }

    @Test
    void decodingBecomesTheCoreConfigWithTheCheckpointsIds() {
        Decoding d = new Decoding(12, 2, 3, 0.5, "never", 2, 1.1, false, 1.0, 50, 1.0, 9L).validated();
        BioGptConfig model = BioGptConfig.load(UdfsFixtures.model("causal-lm"));
        GenerationConfig c = d.config(model);
        assertEquals(12, c.maxNewTokens());
        assertEquals(2, c.minNewTokens());
        assertEquals(3, c.numBeams());
        assertEquals(0.5, c.lengthPenalty());
        assertEquals(EarlyStopping.NEVER, c.earlyStopping());
        assertEquals(2, c.noRepeatNgramSize());
        assertEquals(1.1, c.repetitionPenalty());
        assertEquals(model.eosTokenId(), c.eosTokenIds()[0]);
        assertEquals(model.padTokenId(), c.padTokenId());
        assertThrows(IllegalArgumentException.class,
                () -> new Decoding(12, 0, 2, 1.0, "false", 0, 1.0, true, 1.0, 50, 1.0, 0L).validated());
        assertThrows(IllegalArgumentException.class, () -> Decoding.greedy(0));
    }
}
