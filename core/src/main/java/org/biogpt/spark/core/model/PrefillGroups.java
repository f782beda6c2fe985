package org.biogpt.spark.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a left-padded prefill into forwards of rows of similar length, so that prompts of
 * different lengths (abstracts) do not compute their padding: a batch padded to its longest row
 * runs every layer's GEMMs and attention over all the padding columns. The groups' key/value caches
 * are then put back together as the one left-padded cache of the batch ({@link ForwardState}).
 *
 * <p>A group takes the next-longest row while its padding stays within {@link #MAX_PADDING} of its
 * columns, or while it is still smaller than {@link #MIN_COLUMNS} (a small GEMM runs far below a
 * large one's speed, and each forward has a fixed cost of some hundred native calls).
 */
final class PrefillGroups {
    /** Largest share of padding columns a group may have once it has {@link #MIN_COLUMNS}. */
    static final double MAX_PADDING = 0.10;
    /** Rows × columns below which a group takes the next row whatever its padding. */
    static final int MIN_COLUMNS = 256;

    private PrefillGroups() {
    }

    /**
     * The rows of each forward, longest first; one group of all rows (in order) when the batch is not
     * left-padded or splitting would not save padding.
     */
    static List<int[]> of(Batch batch) {
        int n = batch.size();
        int[] all = IntStream.range(0, n).toArray();
        if (n < 2 || !leftPadded(batch)) {
            return List.<int[]>of(all);
        }
        int[] lengths = new int[n];
        long real = 0;
        for (int r = 0; r < n; r++) {
            lengths[r] = batch.realCount(r);
            real += lengths[r];
        }
        long padded = (long) n * batch.seqLen();
        if (padded - real <= MAX_PADDING * padded) {
            return List.<int[]>of(all);
        }
        Integer[] byLength = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(byLength, Comparator.comparingInt((Integer r) -> -lengths[r]).thenComparingInt(r -> r));
        List<int[]> groups = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        long groupReal = 0;
        for (int r : byLength) {
            if (!group.isEmpty()) {
                long width = lengths[group.get(0)];                 // the group's longest row
                long cols = width * (group.size() + 1);
                boolean small = width * group.size() < MIN_COLUMNS;
                if (!small && cols - (groupReal + lengths[r]) > MAX_PADDING * cols) {
                    groups.add(group.stream().mapToInt(Integer::intValue).toArray());
                    group.clear();
                    groupReal = 0;
                }
            }
            group.add(r);
            groupReal += lengths[r];
        }
        groups.add(group.stream().mapToInt(Integer::intValue).toArray());
        return groups.size() == 1 ? List.<int[]>of(all) : groups;
    }

    /** Whether every row is padding, then its real tokens up to the last column. */
    static boolean leftPadded(Batch batch) {
        int seq = batch.seqLen();
        for (int r = 0; r < batch.size(); r++) {
            int[] m = batch.mask()[r];
            int first = seq - batch.realCount(r);
            for (int j = 0; j < seq; j++) {
                if (m[j] != (j >= first ? 1 : 0)) {
                    return false;
                }
            }
        }
        return true;
    }
}
