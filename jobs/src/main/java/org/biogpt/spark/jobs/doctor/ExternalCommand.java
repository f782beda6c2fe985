package org.biogpt.spark.jobs.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node tool (nvidia-smi, the GPU discovery script) with a time limit: a wedged GPU driver
 * makes nvidia-smi hang, and a health check must answer anyway. Output goes to a temporary file,
 * so a chatty tool cannot block on a full pipe.
 *
 * @param exitCode the tool's exit status; -1 when it could not start or ran past the limit
 * @param output   stdout and stderr together, stripped, or why it did not run
 */
public record ExternalCommand(int exitCode, String output) {
    private static final long OUTPUT_LIMIT = 64 * 1024;

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Runs {@code command} with this JVM's environment changed by {@code env} (a null value removes a variable). */
    public static ExternalCommand run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        Path out = null;
        try {
            out = Files.createTempFile("biogpt-doctor", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            env.forEach((name, value) -> {
                if (value == null) {
                    pb.environment().remove(name);
                } else {
                    pb.environment().put(name, value);
                }
            });
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new ExternalCommand(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new ExternalCommand(-1, command.get(0) + " did not answer within " + timeoutSeconds + " s");
            }
            byte[] bytes;
            try (var in = Files.newInputStream(out)) {
                bytes = in.readNBytes((int) OUTPUT_LIMIT);
            }
            return new ExternalCommand(p.exitValue(), new String(bytes, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new ExternalCommand(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExternalCommand(-1, command.get(0) + " interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
