package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's main in a child JVM with this JVM's class path and libtorch cache, for
 * behaviour that depends on how the JVM was started (its Java version, its heap). The child
 * prints {@code key=value} lines; {@link #line} reads them back.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param java  the java launcher
     * @param flags JVM flags besides the class path and the DJL ones
     * @param arg   the one argument main gets
     * @return stdout and stderr together; fails the test if the child fails or runs past 120 s
     */
    static String run(Path java, List<String> flags, Class<?> main, String arg, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(flags);
        cmd.add("-Dai.djl.offline=true");
        if (System.getProperty("DJL_CACHE_DIR") != null) {
            cmd.add("-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));     // libtorch as this JVM unpacked it
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), arg));
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().remove("PYTORCH_VERSION");
        Process child = pb.start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail("child JVM did not finish in 120 s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, child.exitValue(), "child JVM " + java + " " + flags + " failed:\n" + out);
        return out;
    }

    /** The value of the child's first {@code prefix…} line. */
    static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + out));
    }

    /** A prompt passed as {@link Arrays#toString(int[])}. */
    static int[] ints(String arg) {
        return Arrays.stream(arg.replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
