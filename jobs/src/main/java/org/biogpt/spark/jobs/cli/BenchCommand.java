package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.model.ModelBenchmark;
import org.biogpt.spark.jobs.bench.SparkBenchOptions;
import org.biogpt.spark.jobs.bench.SparkStageBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench}: prefill throughput of a checkpoint (random real-shape ones come from make-random-checkpoint). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Prefill tokens/s and GFLOP/s of a checkpoint (LM logits on the last position), with RSS before/after.",
            "Make a real-shape checkpoint first: bin/biogpt-spark make-random-checkpoint --shape biogpt --out /tmp/biogpt-random"})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint directory.")
    Path model;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per forward (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq-len", defaultValue = "256", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (default: all cores).")
    int threads;

    @Option(names = "--reps", defaultValue = "5", description = "Timed forwards after warm-up (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--spark", description = "Run a stage (--stage classify|entities) over --docs abstracts in Spark and "
            + "the same work through core directly; print both wall times and the overhead ratio.")
    boolean spark;

    @Mixin
    SparkBenchOptions sparkOptions;

    @Override
    public Integer call() {
        if (spark) {
            System.out.println(new SparkStageBenchmark(model, sparkOptions, threads).run());
            return 0;
        }
        System.out.println(ModelBenchmark.run(model, batch, seqLen, threads, reps));
        return 0;
    }
}
