package org.biogpt.spark.core.model;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where one model's forward work went since it was made, summed over all threads: prefill-like
 * forwards (prompts, scoring, heads) and decode steps, each with the LM head calls that follow
 * them, and the one-off packing of the decode kernel's weights (inside the first decode step). So
 * a caller can print the split of a run's wall time between model work and everything else
 * ({@code generate}'s timing line, {@code bench}).
 */
public final class ForwardTimes {
    private final LongAdder prefillNanos = new LongAdder();
    private final LongAdder prefillForwards = new LongAdder();
    private final LongAdder prefillColumns = new LongAdder();
    private final LongAdder decodeNanos = new LongAdder();
    private final LongAdder decodeSteps = new LongAdder();

    /** The sums at one moment. Columns are the token positions the prefill-like forwards computed (their real tokens). */
    public record Snapshot(double prefillSeconds, long prefillForwards, long prefillColumns, double decodeSeconds,
                           long decodeSteps, double packingSeconds) {
        public double modelSeconds() {
            return prefillSeconds + decodeSeconds;
        }

        /** e.g. "prefill 12.3 s (4 forwards, 3104 columns), decode 8.1 s (120 steps, of which packing ... 2.0 s)". */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "prefill %.1f s (%d forward%s, %d columns), decode %.1f s (%d step%s%s)",
                    prefillSeconds, prefillForwards, prefillForwards == 1 ? "" : "s", prefillColumns, decodeSeconds, decodeSteps,
                    decodeSteps == 1 ? "" : "s",
                    packingSeconds > 0 ? String.format(Locale.ROOT, ", of which packing the kernel's weights %.1f s", packingSeconds) : "");
        }
    }

    void prefill(long nanos, long forwards, long columns) {
        prefillNanos.add(nanos);
        prefillForwards.add(forwards);
        prefillColumns.add(columns);
    }

    void decode(long nanos, long steps) {
        decodeNanos.add(nanos);
        decodeSteps.add(steps);
    }

    /** @param packingNanos time the weights' packing took (0 if not packed), counted inside the decode time */
    Snapshot snapshot(long packingNanos) {
        return new Snapshot(prefillNanos.sum() / 1e9, prefillForwards.sum(), prefillColumns.sum(), decodeNanos.sum() / 1e9,
                decodeSteps.sum(), packingNanos / 1e9);
    }
}
