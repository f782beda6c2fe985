package org.biogpt.spark.jobs.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** A value and the seconds it took to make. */
record Timed<T>(T value, double seconds) {
    static <T> Timed<T> of(Supplier<T> work) {
        long t0 = System.nanoTime();
        T value = work.get();
        return new Timed<>(value, (System.nanoTime() - t0) / 1e9);
    }

    /** The future's value; its failure rethrown as it was thrown (not wrapped in a CompletionException). */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
