package org.biogpt.spark.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * A rectangular batch of token ids with its attention mask (1 = real token, 0 = padding), the
 * input of every forward. Rows may be padded on either side (or both): positions, attention and
 * the "last real token" of each row all come from the mask, never from the pad id.
 *
 * @param ids  [batch][seq] token ids
 * @param mask [batch][seq] 0/1
 */
public record Batch(long[][] ids, int[][] mask) {

    public Batch {
        if (ids.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        if (mask.length != ids.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " rows, ids " + ids.length);
        }
        int seq = ids[0].length;
        if (seq == 0) {
            throw new IllegalArgumentException("rows of length 0");
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != seq || mask[b].length != seq) {
                throw new IllegalArgumentException("row " + b + " is not " + seq + " long (ids and mask must be rectangular)");
            }
            boolean any = false;
            for (int m : mask[b]) {
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("row " + b + ": attention mask values must be 0 or 1, got " + m);
                }
                any |= m == 1;
            }
            if (!any) {
                throw new IllegalArgumentException("row " + b + " has no real token");
            }
        }
    }

    /** One unpadded sequence. */
    public static Batch of(long... ids) {
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        return new Batch(new long[][] {ids.clone()}, new int[][] {mask});
    }

    /** Pads on the left (what generation wants: every row's last token is in the last column). */
    public static Batch leftPadded(List<long[]> rows, long padId) {
        return padded(rows, padId, true);
    }

    /** Pads on the right (what Hugging Face tokenizers do by default). */
    public static Batch rightPadded(List<long[]> rows, long padId) {
        return padded(rows, padId, false);
    }

    private static Batch padded(List<long[]> rows, long padId, boolean left) {
        int seq = 0;
        for (long[] r : rows) {
            seq = Math.max(seq, r.length);
        }
        long[][] ids = new long[rows.size()][seq];
        int[][] mask = new int[rows.size()][seq];
        for (int b = 0; b < rows.size(); b++) {
            long[] r = rows.get(b);
            int off = left ? seq - r.length : 0;
            Arrays.fill(ids[b], padId);
            System.arraycopy(r, 0, ids[b], off, r.length);
            Arrays.fill(mask[b], off, off + r.length, 1);
        }
        return new Batch(ids, mask);
    }

    public int size() {
        return ids.length;
    }

    public int seqLen() {
        return ids[0].length;
    }

    /** Number of real tokens of a row. */
    public int realCount(int row) {
        int n = 0;
        for (int m : mask[row]) {
            n += m;
        }
        return n;
    }

    /** Column of the row's last real token. */
    public int lastReal(int row) {
        for (int t = mask[row].length - 1; t >= 0; t--) {
            if (mask[row][t] == 1) {
                return t;
            }
        }
        throw new IllegalStateException("row " + row + " has no real token");
    }

    /** The real tokens of a row, in order. */
    public long[] realIds(int row) {
        long[] out = new long[realCount(row)];
        int i = 0;
        for (int t = 0; t < ids[row].length; t++) {
            if (mask[row][t] == 1) {
                out[i++] = ids[row][t];
            }
        }
        return out;
    }

    /**
     * Keeps the first {@code maxReal} real tokens of every row (like the tokenizer's
     * {@code truncation=True}): later real tokens become padding, then columns that are padding
     * in every row are dropped from the right.
     */
    public Batch truncateReal(int maxReal, long padId) {
        long[][] newIds = new long[ids.length][];
        int[][] newMask = new int[ids.length][];
        int keep = 0;
        for (int b = 0; b < ids.length; b++) {
            newIds[b] = ids[b].clone();
            newMask[b] = mask[b].clone();
            int seen = 0;
            for (int t = 0; t < newIds[b].length; t++) {
                if (newMask[b][t] == 1 && ++seen > maxReal) {
                    newMask[b][t] = 0;
                    newIds[b][t] = padId;
                }
                if (newMask[b][t] == 1) {
                    keep = Math.max(keep, t + 1);
                }
            }
        }
        for (int b = 0; b < ids.length; b++) {
            newIds[b] = Arrays.copyOf(newIds[b], keep);
            newMask[b] = Arrays.copyOf(newMask[b], keep);
        }
        return new Batch(newIds, newMask);
    }
}
