package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;

/**
 * Two models decoding the same left-padded prompts side by side, each step fed the same tokens, so
 * their logits can be compared step by step (a token one model would pick differently does not
 * send the other down another path).
 */
final class Lockstep {
    private Lockstep() {
    }

    /** Checks one step's logits of both models (row by vocabulary) and returns the token of each row fed next. */
    interface Step {
        long[] check(int step, float[][] a, float[][] b);
    }

    /** Prefills both models, then checks and steps them together {@code steps} times (steps + 1 checks). */
    static void run(BioGptModel a, BioGptModel b, List<int[]> prompts, int steps, Step check) {
        List<long[]> rows = new ArrayList<>();
        for (int[] p : prompts) {
            rows.add(Arrays.stream(p).asLongStream().toArray());
        }
        Batch batch = Batch.leftPadded(rows, 1);
        try (ForwardState x = a.prefill(batch); ForwardState y = b.prefill(batch)) {
            for (int step = 0; step <= steps; step++) {
                long[] next = check.check(step, x.logits(), y.logits());
                if (step < steps) {
                    x.step(next);
                    y.step(next);
                }
            }
        }
    }
}
