package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode kernel's packed weights live on the Java heap. In a JVM whose heap cannot spare them
 * (here -Xmx192m, under the 256 MiB the budget always keeps free) the model must say why, warn,
 * and generate the same tokens on DJL/MKL instead of failing with an OutOfMemoryError.
 */
class SmallHeapFallbackTest {
    private static final int NEW_TOKENS = 12;

    @Test
    void generationWhereThePackedWeightsDoNotFitTheHeapStaysOnDjlWithTheSameTokens(@TempDir Path dir) throws Exception {
        int[] prompt = GoldenCases.prompts(GoldenCases.generation(GoldenCases.F32).get("cases").get(0)).get(0);
        String out = ChildJvm.run(Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of("-Xmx192m", "--add-modules=jdk.incubator.vector", "--add-opens=java.base/java.nio=ALL-UNNAMED"),
                SmallHeapFallbackTest.class, Arrays.toString(prompt), dir);

        assertTrue(ChildJvm.line(out, "refusal=").contains("do not fit in the Java heap (max 192 MiB"), out);
        assertTrue(out.contains("decode steps stay on DJL/MKL, not the Vector API kernel"), "a warning in the log:\n" + out);
        assertEquals("false 0 0", ChildJvm.line(out, "kernel="), "no kernel step, nothing packed:\n" + out);

        try (BioGptModel m = BioGptModel.load(Fixtures.model(GoldenCases.F32), ModelOptions.defaults().withThreads(2).withDecodeKernel(true))) {
            assertNull(m.backend().packingRefusal(), "this JVM's heap holds the tiny model's packed copy");
            assertEquals(Arrays.toString(generate(m, prompt)), ChildJvm.line(out, "tokens="), "tokens on DJL (small heap) vs the kernel");
            assertTrue(m.backend().javaSteps() > 0);
        }
    }

    /** Child JVM: prints the refusal, whether the kernel ran, and the greedy tokens. */
    public static void main(String[] args) {
        int[] prompt = ChildJvm.ints(args[0]);
        try (BioGptModel m = BioGptModel.load(Fixtures.model(GoldenCases.F32), ModelOptions.defaults().withThreads(2).withDecodeKernel(true))) {
            int[] tokens = generate(m, prompt);
            System.out.println("refusal=" + m.backend().packingRefusal());
            System.out.println("kernel=" + m.backend().kernelTakesDecodeStep(1) + " " + m.backend().javaSteps() + " " + m.backend().packedWeightBytes());
            System.out.println("tokens=" + Arrays.toString(tokens));
        }
    }

    private static int[] generate(BioGptModel m, int[] prompt) {
        GenerationConfig config = GenerationConfig.load(Fixtures.model(GoldenCases.F32)).withMaxNewTokens(NEW_TOKENS);
        try (StepModel step = new BioGptStepModel(m)) {
            return new Generator(step).generate(List.of(prompt), config).get(0).sequences().get(0).tokens();
        }
    }
}
