package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode kernel is written against Java 17's Vector API, whose ByteBuffer loads Java 19
 * removed. On a newer JVM (Spark also runs on Java 21) generation must fall back to DJL/MKL with
 * the same tokens, not fail with NoSuchMethodError at the first decode step. Runs the fixture's
 * generation in a child JVM of a JDK ≥ 19 found under /usr/lib/jvm (or BIOGPT_TEST_NEWER_JDK);
 * skipped where there is none.
 */
class NewerJdkFallbackTest {
    private static final int NEW_TOKENS = 12;

    @Test
    void generationOnJava19PlusFallsBackToDjlWithTheSameTokens(@TempDir Path dir) throws Exception {
        Optional<Path> jdk = newerJdk();
        assumeTrue(jdk.isPresent(), "no JDK >= 19 under /usr/lib/jvm and BIOGPT_TEST_NEWER_JDK unset");
        int[] prompt = prompt();

        String out = ChildJvm.run(jdk.get().resolve("bin/java"), List.of("--add-modules=jdk.incubator.vector"),
                NewerJdkFallbackTest.class, Arrays.toString(prompt), dir);

        String available = ChildJvm.line(out, "available=");
        String tokens = ChildJvm.line(out, "tokens=");
        assertTrue(available.startsWith("false: Java "), "kernel must report itself unavailable there: " + available);
        assertTrue(available.contains("lacks the Java 17 ByteBuffer loads"), available);
        assertEquals(Arrays.toString(generate(prompt)), tokens, "tokens on " + jdk.get() + " (DJL) vs Java 17 (kernel)");
    }

    /** Child JVM: prints whether the kernel is available and the greedy tokens with the kernel requested. */
    public static void main(String[] args) {
        String reason = SmallMatmul.unavailableReason();
        System.out.println("available=" + (reason == null ? "true" : "false: " + reason));
        System.out.println("tokens=" + Arrays.toString(generate(ChildJvm.ints(args[0]))));
    }

    private static int[] generate(int[] prompt) {
        Path model = Fixtures.model(GoldenCases.F32);
        ModelOptions options = ModelOptions.defaults().withThreads(2).withDecodeKernel(true);
        GenerationConfig config = GenerationConfig.load(model).withMaxNewTokens(NEW_TOKENS);
        try (BioGptModel m = BioGptModel.load(model, options); StepModel step = new BioGptStepModel(m)) {
            return new Generator(step).generate(List.of(prompt), config).get(0).sequences().get(0).tokens();
        }
    }

    private static int[] prompt() {
        return GoldenCases.prompts(GoldenCases.generation(GoldenCases.F32).get("cases").get(0)).get(0);
    }

    /** A JDK whose release file says JAVA_VERSION ≥ 19. */
    private static Optional<Path> newerJdk() throws IOException {
        String env = System.getenv("BIOGPT_TEST_NEWER_JDK");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && feature(d) >= 19).sorted().findFirst();
        }
    }

    private static int feature(Path jdk) {
        try {
            for (String l : Files.readAllLines(jdk.resolve("release"))) {
                if (l.startsWith("JAVA_VERSION=")) {
                    String v = l.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
