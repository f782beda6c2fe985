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
 *
 * <p>A group's attention scores, [rows, heads, width, width] floats, also stay below
 * {@link #MAX_SCORE_BYTES}: glibc maps an allocation above its largest mmap threshold straight
 * from the OS and unmaps it when freed, so a larger score tensor (and its softmax, as large) was
 * faulted in and zeroed afresh at every layer; below it, malloc's arenas hand the same memory back
 * layer after layer. The bound also caps a prefill's transient attention memory, however many
 * long rows a batch has (docs/PERFORMANCE.md).
 */
final class AttentionGroups {
    /** Largest share of padding columns a group may have once it has {@link #MIN_COLUMNS}. */
    static final double MAX_PADDING = 0.10;
    /** Rows × columns below which a group takes the next row whatever its padding. */
    static final int MIN_COLUMNS = 256;
    /** Largest attention score tensor of a group, in bytes (float32): below glibc's largest mmap threshold. */
    static final long MAX_SCORE_BYTES = 24L << 20;

    private AttentionGroups() {
    }

    /**
     * The rows of each group, longest first; all rows (in order) when splitting would not save
     * padding, cut into consecutive groups where their scores would exceed {@link #MAX_SCORE_BYTES}.
     *
     * @param lengths each row's real tokens
     * @param heads   attention heads (score matrices per row)
     */
    static List<int[]> of(int[] lengths, int heads) {
        List<int[]> groups = new ArrayList<>();
        for (int[] group : bySimilarLength(lengths)) {
            int width = 0;
            for (int r : group) {
                width = Math.max(width, lengths[r]);
            }
            long rowBytes = 4L * heads * width * width;
            int rows = (int) Math.max(1, Math.min(group.length, MAX_SCORE_BYTES / rowBytes));
            for (int from = 0; from < group.length; from += rows) {
                groups.add(Arrays.copyOfRange(group, from, Math.min(group.length, from + rows)));
            }
        }
        return groups;
    }

    /** The groups by length alone: longest first, or all rows in order when splitting would not save padding. */
    private static List<int[]> bySimilarLength(int[] lengths) {
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
