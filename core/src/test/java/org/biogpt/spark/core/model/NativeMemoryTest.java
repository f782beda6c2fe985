package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Thousands of batches through every entry point leave the process's native memory flat. */
class NativeMemoryTest {

    @Test
    void thousandsOfSmallBatchesDoNotGrowResidentMemory() {
        BioGptModel model = TinyModels.get("causal-lm");
        SplittableRandom rnd = new SplittableRandom(1);
        runBatches(model, rnd, 1000);           // warm-up: RSS settles after ~1000 batches (glibc arenas, JIT)
        int weightArrays = model.weights().ownedArrayCount();
        long before = nativeRss();
        runBatches(model, rnd, 2000);
        long after = nativeRss();
        long growth = after - before;
        // Results attach to their first input's manager: nothing may have landed on the weights'.
        assertEquals(weightArrays, model.weights().ownedArrayCount(), "arrays leaked onto the weights' manager");
        // glibc keeps freed pages around unevenly (±60 MiB seen during warm-up, ±10 MiB after); a leak of the per-batch logits
        // alone ([2, 42384] floats, 3 times per batch) would be ~2 GiB over 2000 batches.
        assertTrue(growth < 128L << 20, "native RSS grew by " + (growth >> 20) + " MiB");
    }

    @Test
    void aForwardStateHoldsTheSameNumberOfArraysAfterManySteps() {
        BioGptModel model = TinyModels.get("causal-lm");
        try (ForwardState s = model.prefill(Batch.leftPadded(List.of(new long[] {2, 5, 6}, new long[] {2, 7}), 1))) {
            s.step(new long[] {8, 9});
            int held = s.ownedArrayCount();
            assertEquals(2 * model.config().numLayers() + 2, held, "keys, values per layer (views of one block) + the block + last hidden");
            for (int i = 0; i < 100; i++) {
                s.logProbs();
                s.step(new long[] {10 + i, 20 + i});
                if (i % 10 == 0) {
                    s.select(new int[] {1, 0});
                }
            }
            // A reordering select (beam search) gathers the rows into arrays of their own and drops the block.
            assertTrue(s.ownedArrayCount() <= held, "arrays held grew from " + held + " to " + s.ownedArrayCount());
        }
    }

    private static void runBatches(BioGptModel model, SplittableRandom rnd, int n) {
        for (int i = 0; i < n; i++) {
            long[] a = randomIds(rnd, 3 + rnd.nextInt(10));
            long[] b = randomIds(rnd, 3 + rnd.nextInt(10));
            Batch batch = Batch.leftPadded(List.of(a, b), 1);
            model.lastLogits(batch);
            model.embed(batch);
            model.score(batch);
            try (ForwardState s = model.prefill(batch)) {
                s.logProbs();
                s.step(new long[] {5, 6});
                s.select(new int[] {1, 1, 0});
                s.step(new long[] {7, 8, 9});
                s.logits();
            }
        }
    }

    /** RSS minus the Java heap's committed size (the heap may grow with garbage; that is not native memory). */
    private static long nativeRss() {
        System.gc();
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        return residentBytes() - heap;
    }

    /** VmRSS of /proc/self/status in bytes. */
    private static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static long[] randomIds(SplittableRandom rnd, int n) {
        long[] ids = new long[n];
        ids[0] = 2;
        for (int i = 1; i < n; i++) {
            ids[i] = 4 + rnd.nextInt(42000);
        }
        return ids;
    }
}
