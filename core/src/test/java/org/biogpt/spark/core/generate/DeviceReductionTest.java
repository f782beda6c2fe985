package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.model.NextTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain greedy search through the path a GPU model takes: the model reduces its logits with
 * libtorch (argmax, log-softmax) and hands out only the chosen tokens. Here on the CPU with the
 * decode kernel off, so the same code runs in CI.
 */
class DeviceReductionTest {
    private static BioGptModel onLibtorch;

    @BeforeAll
    static void load() {
        onLibtorch = BioGptModel.load(Fixtures.model(GoldenCases.F32),
                ModelOptions.defaults().withThreads(2).withDecodeKernel(false));
    }

    @AfterAll
    static void close() {
        onLibtorch.close();
    }

    /** A step model that refuses to hand out logits: plain greedy must get by on the chosen tokens. */
    private static final class ChosenTokensOnly extends ForwardingStepModel {
        int reducedCalls;

        ChosenTokensOnly(StepModel inner) {
            super(inner);
        }

        @Override
        public float[][] prefill(long[][] ids, int[][] mask) {
            throw new AssertionError("plain greedy asked for prefill logits");
        }

        @Override
        public float[][] step(long[] tokens) {
            throw new AssertionError("plain greedy asked for step logits");
        }

        @Override
        public NextTokens prefillMostLikely(long[][] ids, int[][] mask) {
            reducedCalls++;
            return inner.prefillMostLikely(ids, mask);
        }

        @Override
        public NextTokens stepMostLikely(long[] tokens) {
            reducedCalls++;
            return inner.stepMostLikely(tokens);
        }
    }

    @Test
    void plainGreedyGivesTheReferenceTokensFromChosenTokensAlone() {
        int checked = 0;
        for (JsonNode c : GoldenCases.generation(GoldenCases.F32).get("cases")) {
            String name = c.get("name").asText();
            if (!name.startsWith("greedy/") && !name.equals("batched_left/greedy")) {
                continue;
            }
            GenerationConfig config = GoldenCases.config(GoldenCases.F32, c.get("params"));
            List<int[]> prompts = GoldenCases.prompts(c);
            ChosenTokensOnly model = new ChosenTokensOnly(new BioGptStepModel(onLibtorch));
            List<GenerationResult> results;
            try (model) {
                results = new Generator(model).generate(prompts, config);
            }
            assertTrue(model.reducedCalls >= 1, name);
            for (int p = 0; p < prompts.size(); p++) {
                int[] want = GoldenCases.stripTrailingPads(c.get("new_tokens").get(p), config.padTokenId());
                GeneratedSequence got = results.get(p).sequences().get(0);
                assertArrayEquals(want, got.tokens(), name + " prompt " + p);
            }
            checked++;
        }
        assertTrue(checked >= 7, "plain greedy cases checked: " + checked);
    }

    @Test
    void libtorchReductionEqualsTheHostReductionOfTheSameLogits() {
        long[][] ids = {{2, 10, 11, 12, 13}, {1, 1, 2, 20, 21}};
        int[][] mask = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
        try (ForwardState state = onLibtorch.prefill(ids, mask)) {
            for (int step = 0; step < 4; step++) {
                assertFalse(state.logitsOnHost(), "the decode kernel is off: logits stay with libtorch");
                NextTokens device = state.mostLikely();
                NextTokens host = LogitMath.mostLikely(state.logits());
                assertArrayEquals(host.ids(), device.ids(), "step " + step);
                assertArrayEquals(host.logProbs(), device.logProbs(), 1e-5f, "step " + step);
                long[] next = new long[device.size()];
                for (int r = 0; r < next.length; r++) {
                    next[r] = device.ids()[r];
                }
                state.step(next);
            }
        }
    }
}
