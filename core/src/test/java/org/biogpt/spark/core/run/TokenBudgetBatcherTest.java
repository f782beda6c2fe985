package org.biogpt.spark.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenBudgetBatcherTest {

    @Test
    void sortsByLengthAndCutsAtTheRowLimit() {
        List<int[]> plan = new TokenBudgetBatcher(2, 1000).plan(new int[] {5, 1, 3, 2});
        assertEquals(2, plan.size());
        assertArrayEquals(new int[] {1, 3}, plan.get(0)); // lengths 1, 2
        assertArrayEquals(new int[] {2, 0}, plan.get(1)); // lengths 3, 5
    }

    @Test
    void cutsWhenPaddedTokensWouldExceedTheBudget() {
        // lengths sorted: 10, 10, 30 -> 3 rows x 30 = 90 > 50, so the 30 starts a new batch.
        List<int[]> plan = new TokenBudgetBatcher(8, 50).plan(new int[] {30, 10, 10});
        assertEquals(2, plan.size());
        assertArrayEquals(new int[] {1, 2}, plan.get(0));
        assertArrayEquals(new int[] {0}, plan.get(1));
    }

    @Test
    void aRowOverTheBudgetStillGetsItsOwnBatch() {
        List<int[]> plan = new TokenBudgetBatcher(8, 10).plan(new int[] {100});
        assertArrayEquals(new int[] {0}, plan.get(0));
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBudgetBatcher(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new TokenBudgetBatcher(1, 0));
    }

    @Property
    void everyRowAppearsOnceAndBatchesRespectLimits(
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 300) Integer> lens,
            @ForAll @IntRange(min = 1, max = 9) int maxRows,
            @ForAll @IntRange(min = 1, max = 2000) int maxTokens) {
        int[] lengths = lens.stream().mapToInt(Integer::intValue).toArray();
        boolean[] seen = new boolean[lengths.length];
        for (int[] batch : new TokenBudgetBatcher(maxRows, maxTokens).plan(lengths)) {
            assertTrue(batch.length >= 1 && batch.length <= maxRows);
            int longest = 0;
            for (int i : batch) {
                assertTrue(!seen[i], "row " + i + " twice");
                seen[i] = true;
                longest = Math.max(longest, lengths[i]);
            }
            assertTrue(batch.length == 1 || (long) batch.length * longest <= maxTokens);
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }
}
