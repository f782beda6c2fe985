package org.biogpt.spark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PanelWalkTest {
    @Test
    void interleavesEightSlicesThenReadsTheLeftoverRowsInOrder() {
        // k = 19: slices of 2 rows, 3 leftover rows.
        int[] expected = {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 16, 17, 18};
        assertArrayEquals(expected, PanelWalk.interleaved(19));
    }

    @Test
    void fewerRowsThanStreamsAreReadInOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, PanelWalk.interleaved(5));
    }

    @Test
    void everyRowIsReadExactlyOnce() {
        for (int k : new int[] {1, 7, 8, 9, 64, 1000, 1024, 4096}) {
            int[] order = PanelWalk.interleaved(k).clone();
            Arrays.sort(order);
            assertArrayEquals(IntStream.range(0, k).toArray(), order, "k = " + k);
        }
    }
}
