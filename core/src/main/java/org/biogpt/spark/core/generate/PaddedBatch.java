package org.biogpt.spark.core.generate;

import java.util.List;

/** Prompts of different lengths, left-padded to one width, with their attention mask. */
final class PaddedBatch {
    final int[][] prompts;
    final long[][] ids;
    final int[][] mask;
    final int width;

    private PaddedBatch(int[][] prompts, long[][] ids, int[][] mask, int width) {
        this.prompts = prompts;
        this.ids = ids;
        this.mask = mask;
        this.width = width;
    }

    static PaddedBatch leftPad(List<int[]> prompts, int padId) {
        int width = 0;
        for (int[] p : prompts) {
            width = Math.max(width, p.length);
        }
        int[][] real = new int[prompts.size()][];
        long[][] ids = new long[prompts.size()][width];
        int[][] mask = new int[prompts.size()][width];
        for (int r = 0; r < real.length; r++) {
            real[r] = prompts.get(r).clone();
            int offset = width - real[r].length;
            for (int t = 0; t < width; t++) {
                boolean isReal = t >= offset;
                ids[r][t] = isReal ? real[r][t - offset] : padId;
                mask[r][t] = isReal ? 1 : 0;
            }
        }
        return new PaddedBatch(real, ids, mask, width);
    }

    int size() {
        return prompts.length;
    }
}
