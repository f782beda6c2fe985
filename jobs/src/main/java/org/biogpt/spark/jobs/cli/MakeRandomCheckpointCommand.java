package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.model.RandomCheckpoint;
import org.biogpt.spark.jobs.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code make-random-checkpoint}: a random-weight checkpoint of a real BioGPT shape, for speed tests offline. */
@Command(name = "make-random-checkpoint", mixinStandardHelpOptions = true,
        description = "Write a random-weight checkpoint (Hub layout, safetensors) of a real BioGPT shape.")
public final class MakeRandomCheckpointCommand implements Callable<Integer> {
    @Option(names = "--shape", required = true, description = "biogpt, biogpt-large or tiny.")
    String shape;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--tokenizer-from", description = "Folder with vocab.json and merges.txt to copy (default: the bundled model's).")
    Path tokenizerFrom;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        Path tok = tokenizerFrom != null ? tokenizerFrom : ProjectHome.sampleModel();
        long t0 = System.nanoTime();
        long bytes = RandomCheckpoint.write(RandomCheckpoint.ModelShape.parse(shape),
                DType.parse(dtype), out, tok, seed);
        System.out.printf("wrote %s (%.1f MiB of weights) in %.1f s%n", out, bytes / 1048576.0,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
