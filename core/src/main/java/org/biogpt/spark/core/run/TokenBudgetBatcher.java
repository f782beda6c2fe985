package org.biogpt.spark.core.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups rows into model batches: rows sorted by token length (so a batch pads little), then cut
 * whenever a batch would exceed {@code maxRows} rows or {@code maxTokens} padded tokens
 * (rows × longest row). A row longer than the budget on its own still gets a batch of one.
 * Callers put results back in input order through the returned indices.
 */
public final class TokenBudgetBatcher {
    private final int maxRows;
    private final int maxTokens;

    public TokenBudgetBatcher(int maxRows, int maxTokens) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxRows);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens per batch must be at least 1, got " + maxTokens);
        }
        this.maxRows = maxRows;
        this.maxTokens = maxTokens;
    }

    /** Row indices per batch; every index 0..lengths.length-1 appears exactly once. */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Stable sort: equal lengths keep input order, which keeps runs reproducible.
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            // Sorted ascending, so the row at `end` is the longest of a batch that includes it.
            while (end < order.length && end - start < maxRows
                    && (long) (end - start + 1) * lengths[order[end]] <= maxTokens) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int i = start; i < end; i++) {
                batch[i - start] = order[i];
            }
            batches.add(batch);
            start = end;
        }
        return batches;
    }
}
