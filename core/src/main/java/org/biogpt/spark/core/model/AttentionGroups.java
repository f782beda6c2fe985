package org.biogpt.spark.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits the rows of a forward over real tokens ({@link RealTokens}) into groups of similar length
 * for attention, the one part of a layer that works row by row in a padded layout: a group pads its
 * rows to its own longest one, so abstracts of mixed lengths do not compute attention over the
 * padding up to the batch's longest row (attention grows with the square of the width).
 *
 * <p>A group takes the next-longest row while its padding stays within {@link #MAX_PADDING} of its
 * columns, or while it is still smaller than {@link #MIN_COLUMNS} (each group costs every layer a
 * dozen native calls of its own, which a small group's arithmetic does not repay).
 */
final class AttentionGroups {
    /** Largest share of padding columns a group may have once it has {@link #MIN_COLUMNS}. */
    static final double MAX_PADDING = 0.10;
    /** Rows × columns below which a group takes the next row whatever its padding. */
    static final int MIN_COLUMNS = 256;

    private AttentionGroups() {
    }

    /**
     * The rows of each group, longest first; one group of all rows (in order) when splitting would
     * not save padding.
     *
     * @param lengths each row's real tokens
     */
    static List<int[]> of(int[] lengths) {
        int n = lengths.length;
        int[] all = IntStream.range(0, n).toArray();
        long real = Arrays.stream(lengths).asLongStream().sum();
        long padded = (long) n * Arrays.stream(lengths).max().orElse(0);
        if (n < 2 || padded - real <= MAX_PADDING * padded) {
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
}
