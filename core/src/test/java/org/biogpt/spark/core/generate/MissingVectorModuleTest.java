package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.kernel.SmallMatmul;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (a library user's, typically) runs
 * decode steps on DJL/MKL: a warning says so once, naming the flag, instead of a silent slow path.
 */
class MissingVectorModuleTest {
    @Test
    void loadingAModelWithoutTheModuleWarnsOnceNamingTheFlag(@TempDir Path dir) throws Exception {
        String out = ChildJvm.run(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(),
                MissingVectorModuleTest.class, "2", dir);
        assertEquals("false", ChildJvm.line(out, "available="));
        assertEquals("2", ChildJvm.line(out, "loaded="));
        String warning = "generation's decode steps run on DJL/MKL, not the Vector API kernel: "
                + "the JVM runs without --add-modules jdk.incubator.vector (add --add-modules=jdk.incubator.vector";
        assertTrue(out.contains(warning), out);
        assertEquals(1, out.split(java.util.regex.Pattern.quote(warning), -1).length - 1, "once per JVM:\n" + out);
    }

    /** Child JVM: loads the fixture model {@code args[0]} times with the kernel requested. */
    public static void main(String[] args) {
        System.out.println("available=" + SmallMatmul.available());
        Path model = Fixtures.model(GoldenCases.F32);
        int n = Integer.parseInt(args[0]);
        for (int i = 0; i < n; i++) {
            try (BioGptModel m = BioGptModel.load(model, ModelOptions.defaults().withDecodeKernel(true))) {
                m.config();
            }
        }
        System.out.println("loaded=" + n);
    }
}
