package org.biogpt.spark.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
