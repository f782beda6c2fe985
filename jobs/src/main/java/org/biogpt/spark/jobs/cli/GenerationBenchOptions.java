package org.biogpt.spark.jobs.cli;

import java.util.Arrays;
import picocli.CommandLine.Option;

/** {@code bench}'s greedy generation runs: batch sizes, prompt lengths, new tokens, repetitions (also what --decode-drift walks). */
final class GenerationBenchOptions {
    @Option(names = "--generate-batches", split = ",", defaultValue = "1,8,32",
            description = "Generation: batch sizes, comma-separated; 0 skips generation (default: ${DEFAULT-VALUE}).")
    int[] generateBatches;

    @Option(names = "--new-tokens", defaultValue = "32", description = "Generation: new tokens per row (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--prompt-len", split = ",", defaultValue = "38,280",
            description = "Generation: longest prompt per run, comma-separated (short prompts and abstract-length ones); rows are 0-4 tokens shorter (default: ${DEFAULT-VALUE}).")
    int[] promptLens;

    @Option(names = "--reference-prompts",
            description = "Generation: the Hugging Face reference's own prompts (bench_hf.py: the first sentence of each of the first B "
                    + "abstracts of the bundled BC5CDR test sample) instead of --prompt-len's random ones, so that --hf-reference "
                    + "compares the same prompts.")
    boolean referencePrompts;

    @Option(names = "--generate-reps", defaultValue = "3", description = "Generation: timed generate calls per batch size after one warm-up (default: ${DEFAULT-VALUE}).")
    int generateReps;

    @Option(names = "--compare-kernel", description = "Generation: also run the same checkpoint with the decode kernel off (DJL/MKL; a second copy of the weights), interleaved with it on.")
    boolean compareKernel;

    /** The batch sizes to run, in the order given: --generate-batches without its 0s. */
    int[] batches() {
        return Arrays.stream(generateBatches).filter(b -> b > 0).toArray();
    }
}
