package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the real tokens of a padded batch are, so that a forward over it computes no padding.
 *
 * <p>Every per-token op of a layer (LayerNorms, the linears, GELU, residual adds) runs over the N
 * real tokens packed end to end, [1, N, c]. Attention, which works row by row, runs per
 * {@link Group} of rows of similar length ({@link AttentionGroups}), each padded to its own
 * longest row. A batch of abstracts of mixed lengths then multiplies exactly its tokens in one
 * forward, instead of its padding too (one padded forward) or several forwards of similar-length
 * rows. The key/value cache, which later decode steps read in the batch's own layout
 * [B, T, c], gets the keys and values moved there ({@link #toPadded}).
 *
 * <p>Moving between layouts is a row gather. Padding positions of a padded layout hold a copy of
 * their row's first real token: attention masks them as keys and their query rows are dropped, so
 * what they hold never reaches a real token.
 */
final class RealTokens {
    /**
     * Rows of similar length laid out for attention: each row's real tokens right-aligned in
     * {@code width} columns.
     *
     * @param rows   rows in the group
     * @param width  the group's longest row
     * @param gather [rows · width] the real token at each slot (padding: its row's first real token)
     * @param mask   [rows · width · width] additive causal + padding mask: 0 or {@link Forward#MASK_MIN}
     */
    record Group(int rows, int width, long[] gather, float[] mask) {
    }

    private final int rows;
    private final int cols;
    /** [N] padded position r·T + j of each real token, row by row. */
    private final long[] real;
    /** [B·T] each padded position's index in {@link #real} (padding: its row's first real token). */
    private final long[] padded;
    private final List<Group> groups;
    /** [N] each real token's slot in the groups' layouts put end to end. */
    private final long[] fromGroups;

    private RealTokens(int rows, int cols, long[] real, long[] padded, List<Group> groups, long[] fromGroups) {
        this.rows = rows;
        this.cols = cols;
        this.real = real;
        this.padded = padded;
        this.groups = groups;
        this.fromGroups = fromGroups;
    }

    /**
     * The real tokens of a [B][T] mask (every row has one, {@link Batch}); null when there is no padding.
     *
     * @param heads the model's attention heads (they bound a group's rows: {@link AttentionGroups})
     */
    static RealTokens of(int[][] mask, int heads) {
        int b = mask.length;
        int t = mask[0].length;
        int n = count(mask);
        if (n == b * t) {
            return null;
        }
        long[] real = new long[n];
        long[] padded = new long[b * t];
        int[] start = new int[b];                                   // each row's first real token in [N]
        int[] lengths = new int[b];
        int at = 0;
        for (int r = 0; r < b; r++) {
            start[r] = at;
            for (int j = 0; j < t; j++) {
                if (mask[r][j] == 1) {
                    real[at++] = (long) r * t + j;
                }
            }
            lengths[r] = at - start[r];
            for (int j = 0, next = start[r]; j < t; j++) {
                padded[r * t + j] = mask[r][j] == 1 ? next++ : start[r];
            }
        }
        List<Group> groups = new ArrayList<>();
        long[] fromGroups = new long[n];
        long offset = 0;
        for (int[] members : AttentionGroups.of(lengths, heads)) {
            Group g = group(members, start, lengths, offset, fromGroups);
            groups.add(g);
            offset += (long) g.rows() * g.width();
        }
        return new RealTokens(b, t, real, padded, groups, fromGroups);
    }

    /** One group's layout; records where its real tokens land, offset by the groups before it. */
    private static Group group(int[] members, int[] start, int[] lengths, long offset, long[] fromGroups) {
        int width = 0;
        for (int r : members) {
            width = Math.max(width, lengths[r]);
        }
        long[] gather = new long[members.length * width];
        int[][] leftPadded = new int[members.length][width];
        for (int i = 0; i < members.length; i++) {
            int r = members[i];
            int first = width - lengths[r];                         // the row's first real column
            for (int a = 0; a < width; a++) {
                int slot = i * width + a;
                gather[slot] = a >= first ? start[r] + a - first : start[r];
                if (a >= first) {
                    fromGroups[start[r] + a - first] = offset + slot;
                    leftPadded[i][a] = 1;
                }
            }
        }
        return new Group(members.length, width, gather, Forward.additiveMask(leftPadded, width));
    }

    /** Real tokens in a [B][T] mask. */
    static int count(int[][] mask) {
        int n = 0;
        for (int[] row : mask) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** N, the number of real tokens. */
    int count() {
        return real.length;
    }

    /** The attention groups, each with its own layout. */
    List<Group> groups() {
        return groups;
    }

    /** The real tokens' entries of a flat [B·T] array, [N]. */
    long[] select(long[] flat) {
        long[] out = new long[real.length];
        for (int i = 0; i < real.length; i++) {
            out[i] = flat[(int) real[i]];
        }
        return out;
    }

    /** This layout's index arrays and attention masks on {@code m}, made once per forward for every layer. */
    Indices indices(NDManager m) {
        return new Indices(m);
    }

    /**
     * The index arrays and the groups' attention masks ([rows, 1, width, width]) of one forward.
     * Each move puts its result on its input's manager (a layer's scratch), not on these arrays'.
     */
    final class Indices implements AutoCloseable {
        private final NDList owned = new NDList();
        private final NDArray paddedIndex;
        private final NDArray fromGroupsIndex;
        private final List<NDArray> gathers = new ArrayList<>();
        private final List<NDArray> masks = new ArrayList<>();

        private Indices(NDManager m) {
            paddedIndex = own(m.create(padded));
            fromGroupsIndex = own(m.create(fromGroups));
            for (Group g : groups) {
                gathers.add(own(m.create(g.gather())));
                masks.add(own(m.create(g.mask(), new Shape(g.rows(), 1, g.width(), g.width()))));
            }
        }

        private NDArray own(NDArray a) {
            owned.add(a);
            return a;
        }

        /** The attention groups, as {@link RealTokens#groups()}. */
        List<Group> groups() {
            return groups;
        }

        /** Group g's additive mask, [rows, 1, width, width]. */
        NDArray mask(int g) {
            return masks.get(g);
        }

        /** [1, N, c] → group g's layout [rows, width, c], on x's manager. */
        NDArray toGroup(NDArray x, int g) {
            Group group = groups.get(g);
            return gather(gathers.get(g), x, real.length).reshape(group.rows(), group.width(), x.getShape().tail());
        }

        /** The groups' layouts [rows, width, c] (in {@link #groups()} order) → [1, N, c], on the first one's manager. */
        NDArray fromGroups(List<NDArray> parts) {
            long c = parts.get(0).getShape().tail();
            NDList flat = new NDList(parts.size());
            for (NDArray p : parts) {
                flat.add(p.reshape(-1, c));
            }
            try {
                NDArray all = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat, 0);
                if (all != flat.get(0)) {
                    flat.add(all);                                  // closed with the views
                }
                return gather(fromGroupsIndex, all, all.getShape().get(0)).reshape(1, real.length, c);
            } finally {
                flat.close();
            }
        }

        /** [1, N, c] → [B, T, c], padding positions holding their row's first real token; on x's manager. */
        NDArray toPadded(NDArray x) {
            return gather(paddedIndex, x, real.length).reshape(rows, cols, x.getShape().tail());
        }

        /** Rows {@code index} of x seen as [count, c], on x's manager. */
        private NDArray gather(NDArray index, NDArray x, long count) {
            try (NDArray flat = x.reshape(count, x.getShape().tail())) {
                NDArray out = Ops.rows(index, flat);
                out.attach(x.getManager());
                return out;
            }
        }

        @Override
        public void close() {
            owned.close();
        }
    }

    /** [1, N, c] → [B, T, c] with zeros at the padding positions, for a forward's outputs; on x's manager. */
    NDArray toPaddedWithZeros(NDArray x) {
        long c = x.getShape().tail();
        long[] index = new long[padded.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = real[(int) padded[i]] == i ? padded[i] : real.length;          // padding: the zero row below
        }
        NDManager m = x.getManager();
        try (NDArray flat = x.reshape(real.length, c);
             NDArray zero = m.zeros(new Shape(1, c), x.getDataType());
             NDArray table = NDArrays.concat(new NDList(flat, zero), 0)) {
            return Ops.rows(m, index, table).reshape(rows, cols, c);
        }
    }
}
