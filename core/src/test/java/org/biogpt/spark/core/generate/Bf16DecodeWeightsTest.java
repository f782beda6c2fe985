package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.Backend;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decode steps over bf16 packed weights ({@link ModelOptions#decodeWeights()}), against the same
 * model with the exact fp32 packed weights.
 * <ul>
 *   <li>A checkpoint stored in BF16 loses nothing: its weights are bf16 values, so the bf16 panels
 *       widen to exactly the fp32 panels' floats and the kernel runs the same FMAs in the same
 *       order, and every step's logits are equal bit for bit. That holds where head_dim^-0.5 is a
 *       power of two (BioGPT and BioGPT-Large: head_dim 64, q's folded scale 1/8 keeps bf16 values
 *       bf16), checked on a BF16 slice with BioGPT's head_dim. The tiny fixture's head_dim 8 folds
 *       1/√8 into q, whose packed copy therefore rounds; there greedy search still gives Hugging
 *       Face's tokens.</li>
 *   <li>An F32 checkpoint drifts by the rounding of its weights (2^-8 relative per weight):
 *       teacher-forced over 32 steps every logit stays within {@link #DRIFT_SHARE} of the largest
 *       |logit| of fp32's, and a step's greedy token differs only where fp32's own logits for the two
 *       tokens were within 2 · {@link #DRIFT_TOL}.</li>
 * </ul>
 */
class Bf16DecodeWeightsTest {
    /**
     * Accepted max |Δ logit| against fp32 on the tiny fixtures, whose logits reach about ±12:
     * {@link #DRIFT_SHARE} of that. Rounding moves each weight by at most 2^-8 (0.4 %) of itself;
     * the changes of a layer's many weights partly cancel, but q/k/v, out, fc1, fc2 and the LM head
     * each add theirs, so a few times 0.4 % of the logit scale is the budget.
     */
    static final double DRIFT_TOL = 0.25;
    /** Accepted max |Δ logit| as a share of the largest |logit| of the same steps. */
    static final double DRIFT_SHARE = 0.02;
    private static final int STEPS = 32;
    @TempDir
    static Path tmp;
    private static BioGptModel f32Exact;
    private static BioGptModel f32Bf16;
    private static BioGptModel bf16Exact;
    private static BioGptModel bf16Bf16;
    private static BioGptModel sliceExact;
    private static BioGptModel sliceBf16;

    @BeforeAll
    static void load() throws IOException {
        ModelOptions o = ModelOptions.defaults().withThreads(2).withDecodeKernel(true);
        ModelOptions half = o.withDecodeWeights(DecodeWeights.BF16);
        f32Exact = BioGptModel.load(Fixtures.model(GoldenCases.F32), o);
        f32Bf16 = BioGptModel.load(Fixtures.model(GoldenCases.F32), half);
        bf16Exact = BioGptModel.load(Fixtures.model(GoldenCases.BF16), o);
        bf16Bf16 = BioGptModel.load(Fixtures.model(GoldenCases.BF16), half);
        Path slice = Bf16Slice.write(tmp.resolve("bf16-slice"));
        sliceExact = BioGptModel.load(slice, o);
        sliceBf16 = BioGptModel.load(slice, half);
    }

    @AfterAll
    static void close() {
        for (BioGptModel m : new BioGptModel[] {f32Exact, f32Bf16, bf16Exact, bf16Bf16, sliceExact, sliceBf16}) {
            if (m != null) {
                m.close();
            }
        }
    }

    /** Every distinct prompt of the golden generation cases. */
    private static List<int[]> prompts() {
        List<int[]> out = new ArrayList<>();
        for (JsonNode c : GoldenCases.generation(GoldenCases.F32).get("cases")) {
            for (int[] p : GoldenCases.prompts(c)) {
                if (out.stream().noneMatch(q -> Arrays.equals(q, p))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    @Test
    void aBf16StoredCheckpointWithBioGptsHeadDimGivesBitIdenticalStepLogits() {
        List<int[]> prompts = Bf16Slice.prompts();
        for (List<int[]> batch : List.of(prompts.subList(0, 1), prompts.subList(0, 3), prompts)) {
            Drift d = compareSteps(sliceExact, sliceBf16, batch, STEPS, 0.0);
            assertEquals(0.0, d.worst, "batch " + batch.size());
            assertEquals(0, d.flips);
        }
        assertTrue(sliceBf16.backend().javaSteps() > 0, "the steps ran in Java on the bf16 panels");
        Backend.Choice c = sliceBf16.backend().forDecodeStep(3);
        assertEquals(Backend.Kind.JAVA_STEP, c.kind(), c.why());
        assertTrue(c.why().contains("bf16 weights"), c.why());
    }

    @Test
    void theTinyBf16FixtureOnlyRoundsItsFoldedQueryScale() {
        // Everything but q is bf16-valued: the drift stays far below the F32 fixture's.
        List<int[]> prompts = prompts();
        Drift d = compareSteps(bf16Exact, bf16Bf16, prompts, STEPS, DRIFT_TOL);
        System.out.printf("bf16 decode weights, BF16 tiny fixture: max |Δ logit| %.3g, %d of %d greedy tokens differ (teacher-forced, %d steps)%n",
                d.worst, d.flips, d.tokens, STEPS);
        assertTrue(d.worst > 0, "q·1/√8 is not bf16-valued: its packed copy rounds");
    }

    @Test
    void aBf16StoredCheckpointGreedyGivesHuggingFaceTokens() {
        int cases = 0;
        for (JsonNode c : GoldenCases.generation(GoldenCases.BF16).get("cases")) {
            String name = c.get("name").asText();
            if (!name.startsWith("greedy/") && !name.equals("batched_left/greedy")) {
                continue;
            }
            GenerationConfig config = GoldenCases.config(GoldenCases.BF16, c.get("params"));
            List<int[]> prompts = GoldenCases.prompts(c);
            List<GenerationResult> got;
            try (StepModel m = new BioGptStepModel(bf16Bf16)) {
                got = new Generator(m).generate(prompts, config);
            }
            for (int r = 0; r < prompts.size(); r++) {
                int[] want = GoldenCases.stripTrailingPads(c.get("new_tokens").get(r), config.padTokenId());
                assertArrayEquals(want, got.get(r).sequences().get(0).tokens(), name + " row " + r);
            }
            cases++;
        }
        assertTrue(cases >= 2, "greedy golden cases " + cases);
    }

    @Test
    void anF32CheckpointDriftsWithinTheRoundingOfItsWeights() {
        List<int[]> prompts = prompts();
        for (List<int[]> batch : List.of(prompts.subList(0, 1), prompts)) {
            Drift d = compareSteps(f32Exact, f32Bf16, batch, STEPS, DRIFT_TOL);
            System.out.printf("bf16 decode weights, F32 tiny fixture, batch %d: max |Δ logit| %.3g (largest |logit| %.3g), %d of %d greedy tokens differ (teacher-forced, %d steps)%n",
                    batch.size(), d.worst, d.largestLogit, d.flips, d.tokens, STEPS);
            assertTrue(d.worst > 0, "F32 weights are not all bf16 values: the bf16 panels must change something");
            assertTrue(d.worst <= DRIFT_SHARE * d.largestLogit, d.worst + " > " + DRIFT_SHARE + " of " + d.largestLogit);
        }
    }

    @Test
    void freeRunningGreedyTokensOnTheBf16FixtureEqualFp32() {
        List<int[]> prompts = prompts();
        GenerationConfig config = GenerationConfig.load(Fixtures.model(GoldenCases.BF16)).withMaxNewTokens(STEPS);
        for (List<int[]> batch : List.of(prompts.subList(0, 1), prompts)) {
            List<GenerationResult> a;
            List<GenerationResult> b;
            try (StepModel m = new BioGptStepModel(bf16Exact)) {
                a = new Generator(m).generate(batch, config);
            }
            try (StepModel m = new BioGptStepModel(bf16Bf16)) {
                b = new Generator(m).generate(batch, config);
            }
            for (int r = 0; r < batch.size(); r++) {
                assertArrayEquals(a.get(r).sequences().get(0).tokens(), b.get(r).sequences().get(0).tokens(),
                        "batch " + batch.size() + " row " + r);
            }
        }
    }

    @Test
    void bf16PanelsTakeHalfTheHeap() {
        List<long[]> rows = List.of(new long[] {2, 5, 9});
        for (BioGptModel m : new BioGptModel[] {f32Exact, f32Bf16}) {
            try (ForwardState s = m.prefill(Batch.leftPadded(rows, 1))) {
                s.logits();
                s.step(new long[] {4});
                s.logits();
            }
        }
        long exact = f32Exact.backend().packedWeightBytes();
        long half = f32Bf16.backend().packedWeightBytes();
        assertTrue(exact > 0 && half > 0, exact + " / " + half);
        // Weights at 2 bytes instead of 4; the float32 biases and the arrays' headers stay.
        assertTrue(half < 0.55 * exact && half > 0.45 * exact, "bf16 " + half + " vs fp32 " + exact + " bytes");
    }

    /** Largest |Δ logit|, and greedy tokens that differ, of teacher-forced steps. */
    record Drift(double worst, int flips, int tokens, double largestLogit) {
    }

    /**
     * Prefills both models and steps them with a's greedy tokens (teacher forcing, so a flipped token
     * does not compound), checking every logit against {@code tol}, and that b picks another token
     * than a only where a's own logits for the two are within 2·tol.
     */
    static Drift compareSteps(BioGptModel a, BioGptModel b, List<int[]> prompts, int steps, double tol) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        assertTrue(longest + steps <= a.config().maxPositions(), "prompt " + longest + " + " + steps + " steps");
        DriftCount count = new DriftCount(tol);
        Lockstep.run(a, b, prompts, steps, count);
        return new Drift(count.worst, count.flips, count.tokens, count.largest);
    }

    /** Drift accumulated over the steps, each step checked as {@link #compareSteps} says. */
    private static final class DriftCount implements Lockstep.Step {
        private final double tol;
        private double worst;
        private int flips;
        private int tokens;
        private double largest;

        DriftCount(double tol) {
            this.tol = tol;
        }

        @Override
        public long[] check(int step, float[][] lx, float[][] ly) {
            long[] next = new long[lx.length];
            for (int r = 0; r < lx.length; r++) {
                double rowWorst = 0;
                for (int v = 0; v < lx[r].length; v++) {
                    rowWorst = Math.max(rowWorst, Math.abs(lx[r][v] - ly[r][v]));
                    largest = Math.max(largest, Math.abs(lx[r][v]));
                }
                assertTrue(rowWorst <= tol, "step " + step + " row " + r + ": max |Δ logit| " + rowWorst + " > " + tol);
                worst = Math.max(worst, rowWorst);
                int ax = LogitMath.argmax(lx[r]);
                int ay = LogitMath.argmax(ly[r]);
                if (ax != ay) {
                    flips++;
                    double gap = lx[r][ax] - lx[r][ay];
                    assertTrue(gap <= 2 * tol, "step " + step + " row " + r + ": token " + ay + " instead of " + ax
                            + " though fp32 put them " + gap + " apart");
                }
                tokens++;
                next[r] = ax;
            }
            return next;
        }
    }
}
