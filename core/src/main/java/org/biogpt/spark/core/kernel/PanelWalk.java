package org.biogpt.spark.core.kernel;

/**
 * The order in which {@link VectorKernel} reads a panel's k rows on its first pass, when the
 * panel streams from DRAM: {@link #STREAMS} interleaved streams over the k / STREAMS-row slices
 * (step i reads slice i mod STREAMS), then any leftover rows in order. Later passes over the same
 * panel (rows 9–16, 17–24, … of x) find it in L2 and read it in plain order.
 *
 * <p>A table rather than index arithmetic in the loop: the shift, mask and multiply per row took
 * ALU slots beside the FMAs. Plain Java: no vector class is touched here.
 */
final class PanelWalk {
    /** Memory streams in flight per panel walk. */
    static final int STREAMS = 8;

    private PanelWalk() {
    }

    /** order[i] = the panel row read at step i, for a panel of k rows. */
    static int[] interleaved(int k) {
        int slice = k / STREAMS;
        int[] order = new int[k];
        for (int i = 0; i < k; i++) {
            order[i] = i < STREAMS * slice ? i / STREAMS + (i % STREAMS) * slice : i;
        }
        return order;
    }
}
