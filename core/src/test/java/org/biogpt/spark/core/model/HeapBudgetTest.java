package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void packedWeightsFitWhenAQuarterOfTheHeapStaysFree() {
        // BioGPT's 1.4 GB packed copy on a 6 GiB heap with 1 GiB in use: 2.4 of 6 GiB, 1.5 GiB stays free.
        assertNull(HeapBudget.refusal(1400 * MIB, 6144 * MIB, 1024 * MIB));
        assertNull(HeapBudget.refusal(3584 * MIB, 6144 * MIB, 1024 * MIB));     // exactly 3/4 used
    }

    @Test
    void packedWeightsThatWouldEatIntoTheReserveAreRefused() {
        assertNotNull(HeapBudget.refusal(3585 * MIB, 6144 * MIB, 1024 * MIB));
        assertNotNull(HeapBudget.refusal(1400 * MIB, 2048 * MIB, 300 * MIB));   // a 2 GiB heap cannot hold BioGPT's copy
    }

    @Test
    void smallHeapsKeepAtLeast256MibFree() {
        assertNull(HeapBudget.refusal(10 * MIB, 512 * MIB, 246 * MIB));
        assertNotNull(HeapBudget.refusal(10 * MIB, 512 * MIB, 247 * MIB));
    }

    @Test
    void refusalNamesTheSizesAndAnXmxThatWouldFit() {
        String why = HeapBudget.refusal(1400 * MIB, 2048 * MIB, 300 * MIB);
        assertTrue(why.contains("1400 MiB") && why.contains("max 2048 MiB") && why.contains("300 MiB in use"), why);
        // (300 + 1400) · 4/3 = 2267 MiB: the smallest heap that keeps a quarter free.
        assertTrue(why.contains("-Xmx2267m"), why);
        assertNull(HeapBudget.refusal(1400 * MIB, 2267 * MIB, 300 * MIB));
        assertNotNull(HeapBudget.refusal(1400 * MIB, 2266 * MIB, 300 * MIB));
    }

    @Test
    void suggestedXmxIsEnoughWhenTheFloorDecides() {
        String why = HeapBudget.refusal(100 * MIB, 400 * MIB, 200 * MIB);
        assertTrue(why.contains("-Xmx556m"), why);                               // 200 + 100 + 256
        assertNull(HeapBudget.refusal(100 * MIB, 556 * MIB, 200 * MIB));
    }
}
