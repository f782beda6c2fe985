package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A forward over rows of different lengths attends in groups of similar length, with the same results. */
class AttentionGroupsTest {

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
        List<int[]> groups = AttentionGroups.of(new int[] {120, 10, 118, 12, 60, 5}, 16);
        assertEquals(2, groups.size(), "the long rows apart from the short ones");
        assertArrayEquals(new int[] {0, 2, 4}, groups.get(0), "longest first, until the padding grows");
        assertArrayEquals(new int[] {3, 1, 5}, groups.get(1));
    }

    @Test
    void rowsWithLittlePaddingOrFewColumnsStayOneGroup() {
        assertEquals(1, AttentionGroups.of(new int[] {100, 98, 96, 99}, 16).size());
        // Short rows stay together however uneven: a group must reach MIN_COLUMNS before padding splits it.
        assertEquals(1, AttentionGroups.of(new int[] {40, 3, 38, 5}, 16).size());
        assertArrayEquals(new int[] {0, 1, 2}, AttentionGroups.of(new int[] {7, 7, 7}, 16).get(0));
    }

    @Test
    void aGroupWhoseScoresWouldPassTheBoundIsCutIntoConsecutiveGroups() {
        // 16 heads × 520² floats = 17,305,600 bytes a row: one row under 24 MiB (25,165,824 bytes).
        List<int[]> longRows = AttentionGroups.of(new int[] {520, 520, 520}, 16);
        assertEquals(3, longRows.size());
        assertArrayEquals(new int[] {1}, longRows.get(1));
        // 16 × 256² × 4 = 4,194,304 bytes a row: six rows a group.
        List<int[]> rows256 = AttentionGroups.of(new int[] {256, 256, 256, 256, 256, 256, 256, 256}, 16);
        assertEquals(2, rows256.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, rows256.get(0));
        assertArrayEquals(new int[] {6, 7}, rows256.get(1));
        // A row alone over the bound still gets a group.
        assertEquals(2, AttentionGroups.of(new int[] {1024, 1000}, 16).size());
    }

    /**
     * A prefill whose rows attend in groups, and the decode steps after it, give each row's logits as
     * that row prefilled and decoded alone (no padding at all), for left and right padding.
     */
    @Test
    void aBatchAttendingInGroupsDecodesAsEachRowAlone() {
        BioGptModel model = TinyModels.get("causal-lm");
        List<long[]> prompts = prompts(120, 10, 118, 12, 60, 5);
        assertTrue(AttentionGroups.of(new int[] {120, 10, 118, 12, 60, 5}, model.config().numHeads()).size() > 1, "the test needs groups");
        int[] keep = {5, 0, 2};
        for (Batch batch : List.of(Batch.leftPadded(prompts, 1), Batch.rightPadded(prompts, 1))) {
            List<ForwardState> alone = new ArrayList<>();
            try (ForwardState grouped = model.prefill(batch)) {
                for (long[] p : prompts) {
                    alone.add(model.prefill(Batch.of(p)));
                }
                assertEquals(batch.seqLen(), grouped.length());
                assertArrayEquals(batch.mask(), grouped.attentionMask());
                List<ForwardState> rows = alone;
                for (int step = 0; step < 6; step++) {
                    float[][] a = grouped.logits();
                    long[] next = new long[a.length];
                    for (int r = 0; r < a.length; r++) {
                        float[] b = rows.get(r).logits()[0];
                        for (int v = 0; v < a[r].length; v++) {
                            assertEquals(b[v], a[r][v], 1e-4f, "step " + step + " row " + r + " token " + v);
                        }
                        next[r] = TinyModels.argmax(b);
                        rows.get(r).step(new long[] {next[r]});
                    }
                    grouped.step(next);
                    if (step == 3) {
                        grouped.select(keep);
                        rows = List.of(alone.get(keep[0]), alone.get(keep[1]), alone.get(keep[2]));
                    }
                }
            } finally {
                alone.forEach(ForwardState::close);
            }
        }
    }
}
