package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Left-padded prefills of prompts of different lengths run as groups of similar length, with the same results. */
class PrefillGroupsTest {

    private static List<long[]> prompts(int... lengths) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<long[]> out = new ArrayList<>();
        for (int n : lengths) {
            long[] ids = new long[n];
            ids[0] = 2;
            for (int i = 1; i < n; i++) {
                ids[i] = 4 + rnd.nextInt(60);
            }
            out.add(ids);
        }
        return out;
    }

    @Test
    void rowsOfDifferentLengthsSplitIntoGroupsThatHoldEveryRowOnce() {
        Batch batch = Batch.leftPadded(prompts(120, 10, 118, 12, 60, 5), 1);
        List<int[]> groups = PrefillGroups.of(batch);
        assertEquals(2, groups.size(), "the long rows apart from the short ones");
        assertArrayEquals(new int[] {0, 2, 4}, groups.get(0), "longest first, until the padding grows");
        assertArrayEquals(new int[] {3, 1, 5}, groups.get(1));
    }

    @Test
    void aBatchWithLittlePaddingOrNotLeftPaddedIsOneForward() {
        assertEquals(1, PrefillGroups.of(Batch.leftPadded(prompts(100, 98, 96, 99), 1)).size());
        assertEquals(1, PrefillGroups.of(Batch.rightPadded(prompts(120, 10, 118, 12, 60, 5), 1)).size());
        // Short rows stay together however uneven: a group must reach MIN_COLUMNS before padding splits it.
        assertEquals(1, PrefillGroups.of(Batch.leftPadded(prompts(40, 3, 38, 5), 1)).size());
        Batch one = Batch.leftPadded(prompts(120, 10, 118, 12, 60, 5), 1);
        int[] all = PrefillGroups.of(one).stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, all);
    }

    /**
     * The grouped prefill's logits and the steps after it equal those of one forward over the same
     * prompts padded on the right (which is never split): padding and its positions are masked either way.
     */
    @Test
    void aGroupedPrefillDecodesAsOnePaddedForward() {
        BioGptModel model = TinyModels.get("causal-lm");
        List<long[]> prompts = prompts(120, 10, 118, 12, 60, 5);
        Batch left = Batch.leftPadded(prompts, 1);
        assertTrue(PrefillGroups.of(left).size() > 1, "the test needs a split batch");
        try (ForwardState grouped = model.prefill(left);
             ForwardState single = model.prefill(Batch.rightPadded(prompts, 1))) {
            assertEquals(left.seqLen(), grouped.length());
            assertArrayEquals(left.mask(), grouped.attentionMask());
            for (int step = 0; step < 6; step++) {
                float[][] a = grouped.logits();
                float[][] b = single.logits();
                long[] next = new long[a.length];
                for (int r = 0; r < a.length; r++) {
                    for (int v = 0; v < a[r].length; v++) {
                        assertEquals(b[r][v], a[r][v], 1e-4f, "step " + step + " row " + r + " token " + v);
                    }
                    next[r] = argMax(b[r]);
                }
                grouped.step(next);
                single.step(next);
                if (step == 3) {
                    grouped.select(new int[] {5, 0, 2});
                    single.select(new int[] {5, 0, 2});
                }
            }
        }
    }

    private static int argMax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
