package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.Backend;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API decode kernel changes nothing but float rounding: greedy generation with the
 * kernel on and off gives the same tokens, and every step's logits agree within 1e-4, on the
 * tiny causal-LM fixture (and on its bf16 twin).
 */
class DecodeKernelParityTest {
    private static final double TOL = 1e-4;
    private static BioGptModel on;
    private static BioGptModel off;
    private static BioGptModel onBf16;
    private static BioGptModel offBf16;

    @BeforeAll
    static void load() {
        ModelOptions o = ModelOptions.defaults().withThreads(2);
        on = BioGptModel.load(Fixtures.model(GoldenCases.F32), o.withDecodeKernel(true));
        off = BioGptModel.load(Fixtures.model(GoldenCases.F32), o.withDecodeKernel(false));
        onBf16 = BioGptModel.load(Fixtures.model(GoldenCases.BF16), o.withDecodeKernel(true));
        offBf16 = BioGptModel.load(Fixtures.model(GoldenCases.BF16), o.withDecodeKernel(false));
    }

    @AfterAll
    static void close() {
        for (BioGptModel m : new BioGptModel[] {on, off, onBf16, offBf16}) {
            m.close();
        }
    }

    /** Every distinct prompt of the golden generation cases. */
    private static List<int[]> prompts() {
        List<int[]> out = new ArrayList<>();
        for (JsonNode c : GoldenCases.generation(GoldenCases.F32).get("cases")) {
            for (int[] p : GoldenCases.prompts(c)) {
                if (out.stream().noneMatch(q -> java.util.Arrays.equals(q, p))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    @Test
    void kernelIsUsedOnlyWhereAsked() {
        int max = Backend.maxKernelRows();
        assertTrue(on.backend().kernelTakesDecodeStep(1) && on.backend().kernelTakesDecodeStep(2) && on.backend().kernelTakesDecodeStep(17) && on.backend().kernelTakesDecodeStep(max));
        assertFalse(on.backend().kernelTakesDecodeStep(max + 1), "wider decode steps are compute-bound: MKL is faster there");
        assertFalse(off.backend().kernelTakesDecodeStep(2));
    }

    @Test
    void weightsArePackedAtTheFirstDecodeStepOnly() {
        ModelOptions o = ModelOptions.defaults().withThreads(2).withDecodeKernel(true);
        try (BioGptModel m = BioGptModel.load(Fixtures.model(GoldenCases.F32), o)) {
            Batch batch = Batch.leftPadded(List.of(new long[] {2, 5, 9}, new long[] {2, 7}), 1);
            m.lastLogits(batch);
            try (ForwardState s = m.prefill(batch)) {
                s.logits();
                assertEquals(Backend.Kind.JAVA_STEP, m.backend().forDecodeStep(2).kind(), m.backend().forDecodeStep(2).why());
                assertEquals(0, m.backend().packedWeightBytes(), "scoring, prefill and asking what a step would run on never pack");
                s.step(new long[] {4, 4});
                s.logits();
            }
            long linears = 0;
            for (var layer : m.weights().layers()) {
                for (var w : List.of(layer.qWeight(), layer.kWeight(), layer.vWeight(), layer.outWeight(), layer.fc1Weight(), layer.fc2Weight())) {
                    linears += w.size();
                }
            }
            linears += m.weights().lmHead().size();
            assertEquals(1, m.backend().javaSteps(), "the step ran in Java");
            assertTrue(m.backend().packedWeightBytes() >= 4 * linears, "packed " + m.backend().packedWeightBytes() + " bytes for " + linears + " weights");
        }
        assertEquals(0, off.backend().packedWeightBytes());
        assertEquals(0, off.backend().javaSteps());
    }

    @Test
    void greedyGenerationGivesTheSameTokens() {
        List<int[]> prompts = prompts();
        assertTrue(prompts.size() >= 3, "prompts " + prompts.size());
        for (BioGptModel[] pair : new BioGptModel[][] {{on, off}, {onBf16, offBf16}}) {
            GenerationConfig config = GenerationConfig.load(Fixtures.model(GoldenCases.F32)).withMaxNewTokens(24);
            for (List<int[]> batch : List.of(prompts, prompts.subList(0, 1), prompts.subList(0, 3))) {
                List<GenerationResult> a;
                List<GenerationResult> b;
                try (StepModel m = new BioGptStepModel(pair[0])) {
                    a = new Generator(m).generate(batch, config);
                }
                try (StepModel m = new BioGptStepModel(pair[1])) {
                    b = new Generator(m).generate(batch, config);
                }
                for (int p = 0; p < batch.size(); p++) {
                    GeneratedSequence x = a.get(p).sequences().get(0);
                    GeneratedSequence y = b.get(p).sequences().get(0);
                    assertArrayEquals(y.tokens(), x.tokens(), "batch " + batch.size() + " prompt " + p);
                    assertEquals(y.stopReason(), x.stopReason());
                }
            }
        }
    }

    @Test
    void stepLogitsAgreeWithin1e4() {
        List<int[]> prompts = prompts();
        // 1 and 2 rows (one-row tiles), all rows (a register tile, padded), and rows
        // repeated past 64 prefill rows (several tiles, at most 64 rows); prefill on MKL, steps on the kernel.
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        List<int[]> many = new ArrayList<>();
        while (many.size() * width <= Math.max(64, 8 * width)) {
            many.addAll(prompts);
        }
        assertFalse(on.backend().kernelTakesDecodeStep(many.size() * width));
        assertTrue(on.backend().kernelTakesDecodeStep(many.size()));
        for (List<int[]> batch : List.of(prompts.subList(0, 1), prompts.subList(0, 2), prompts, many)) {
            compareSteps(batch, 24);
        }
        // 33–64 rows: steps wider than the old 32-row limit, first tile streamed and four or more from cache.
        List<int[]> wide = new ArrayList<>();
        while (wide.size() < 41) {
            wide.addAll(prompts);
        }
        wide = wide.subList(0, 41);
        assertTrue(on.backend().kernelTakesDecodeStep(wide.size()));
        compareSteps(wide, 6);
        // Past the cache's headroom: its buffers grow (copying the past) between Java steps.
        int longest = prompts.subList(0, 2).stream().mapToInt(p -> p.length).max().orElseThrow();
        compareSteps(prompts.subList(0, 2), Math.min(100, 127 - longest));
    }

    private static void compareSteps(List<int[]> prompts, int steps) {
        Lockstep.run(on, off, prompts, steps, (step, la, lb) -> {
            long[] next = new long[la.length];
            for (int r = 0; r < la.length; r++) {
                float worst = 0;
                for (int v = 0; v < la[r].length; v++) {
                    worst = Math.max(worst, Math.abs(la[r][v] - lb[r][v]));
                }
                assertTrue(worst <= TOL, "batch " + la.length + " step " + step + " row " + r + ": max |Δ| " + worst);
                next[r] = LogitMath.argmax(lb[r]);
                assertEquals(next[r], LogitMath.argmax(la[r]), "greedy token, step " + step + " row " + r);
            }
            return next;
        });
    }
}
