package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.model.Backend;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.DjlRuntime;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.bench.BenchTask;
import org.biogpt.spark.jobs.bench.DecodeDrift;
import org.biogpt.spark.jobs.bench.GenerationBenchmark;
import org.biogpt.spark.jobs.bench.HfReference;
import org.biogpt.spark.jobs.bench.KernelBenchmark;
import org.biogpt.spark.jobs.bench.ModelBenchmark;
import org.biogpt.spark.jobs.bench.ReferencePrompts;
import org.biogpt.spark.jobs.bench.SparkBenchOptions;
import org.biogpt.spark.jobs.bench.SparkStageBenchmark;
import org.biogpt.spark.jobs.bench.TaskBenchOptions;
import org.biogpt.spark.jobs.bench.TaskBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: prefill throughput and greedy generation throughput of a checkpoint (random
 * real-shape ones come from make-random-checkpoint).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Prefill tokens/s and GFLOP/s of a checkpoint (LM logits on the last position), with RSS before/after;",
            "then greedy generation tokens/s per batch size (32 new tokens, ~38- and ~280-token prompts, prefill included),",
            "decode step ms, and with --hf-reference the ratio to Hugging Face figures measured beside it.",
            "Make a real-shape checkpoint first: bin/biogpt-spark make-random-checkpoint --shape biogpt --out /tmp/biogpt-random"})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Checkpoint directory (required unless --matmul).")
    Path model;

    @Option(names = "--batch", description = "Prefill: rows per forward (default: 4); --task: rows per model call (default: 8).")
    Integer batch;

    @Option(names = "--seq-len", defaultValue = "256", description = "Prefill: tokens per row (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Mixin
    ThreadsOption intraOp;

    @Option(names = "--reps", defaultValue = "5", description = "Prefill: timed forwards after warm-up (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--no-prefill", description = "Skip the prefill benchmark.")
    boolean noPrefill;

    @Mixin
    GenerationBenchOptions generation;

    @Mixin
    BenchModelOptions loading;

    @Mixin
    DriftOptions drift;

    @Option(names = "--matmul", description = "Only the matmul micro-benchmark: kernel vs DJL/MKL at M = 1, 8, 32 on BioGPT's linear shapes (no model needed).")
    boolean matmul;

    @Option(names = "--hf-reference", paramLabel = "FILE",
            description = "JSON lines printed by tools/bench_hf.py on this machine, in this run: prints each figure's ratio to it.")
    Path hfReference;

    @Option(names = "--spark", description = "Run a stage (--stage classify|entities) over --docs abstracts in Spark and "
            + "the same work through core directly; print both wall times and the overhead ratio.")
    boolean spark;

    @Mixin
    SparkBenchOptions sparkOptions;

    @Mixin
    TaskBenchOptions taskOptions;

    @Override
    public Integer call() {
        if (taskOptions.task != null) {
            if (model == null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--task needs --model");
            }
            int rows = batch != null ? batch : 8;
            System.out.println(new TaskBenchmark(new TaskBenchmark.Settings(BenchTask.parse(taskOptions.task), model,
                    taskOptions.input, sparkOptions.docs(32), rows, taskOptions.maxNewTokens,
                    taskOptions.warmupDocs != null ? taskOptions.warmupDocs : rows, intraOp.threads, modelOptions(), spark,
                    sparkOptions.master, taskOptions.dump)).run());
            return 0;
        }
        if (spark) {
            System.out.println(new SparkStageBenchmark(model, sparkOptions, intraOp.threads).run());
            return 0;
        }
        if (matmul) {
            int t = intraOp.threads > 0 ? intraOp.threads : Runtime.getRuntime().availableProcessors();
            DjlRuntime.init(t);
            KernelBenchmark.run(new int[] {1, 8, 32}, new int[][] {{4096, 1024}, {1024, 4096}, {1024, 1024}}, t, reps)
                    .forEach(System.out::println);
            return 0;
        }
        if (model == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--model is required");
        }
        if (drift.decodeDrift) {
            ModelOptions exact = modelOptions().withDecodeWeights(DecodeWeights.FP32);
            try (BioGptModel m = BioGptModel.load(model, exact)) {
                DecodeDrift.run(m, exact, drift.documents(), generation.batches(), generation.promptLens, generation.newTokens,
                        BioGptTokenizer.load(model)).forEach(System.out::println);
            }
            return 0;
        }
        HfReference hf = hfReference == null ? null : HfReference.read(hfReference);
        long rssBefore = ModelBenchmark.rss("VmRSS");
        long t0 = System.nanoTime();
        ModelOptions options = modelOptions();
        try (BioGptModel m = BioGptModel.load(model, options)) {
            double load = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "loaded %s on %s in %.1f s; 8-row decode steps: %s%n", model,
                    options.placement(), load, kernelStatus(m));
            if (!noPrefill) {
                ModelBenchmark.Result r = ModelBenchmark.measure(m, batch != null ? batch : 4, seqLen, reps, load, rssBefore);
                System.out.println(r + (hf == null ? "" : "; " + hf.prefillRatio(r.tokensPerSecond())));
            }
            int[] batches = generation.batches();
            if (batches.length > 0) {
                List<BioGptModel> models = new ArrayList<>(List.of(m));
                List<DecodeWeights> formats = loading.decodeFormats();
                List<String> labels = new ArrayList<>(List.of(label(m, formats.get(0))));
                for (DecodeWeights f : formats.subList(1, formats.size())) {
                    // Its own copy of the weights: weights are packed in one format, and once packed in fp32 m's
                    // linears live only in that packed copy (closed below with the model).
                    BioGptModel other = BioGptModel.load(model, options.withDecodeWeights(f));
                    models.add(other);
                    labels.add(label(other, f));
                }
                if (generation.compareKernel && m.backend().kernelTakesDecodeStep(8)) {
                    // DJL/MKL only, on its own copy of the weights: once the kernel has packed m's, m's linears
                    // live only in the packed copy and a model without the kernel would re-lay them at every step.
                    models.add(BioGptModel.load(model, options.withDecodeKernel(false)));
                    labels.add("djl");
                }
                List<GenerationBenchmark.Prompts> sources = new ArrayList<>();
                if (generation.referencePrompts) {
                    sources.add(ReferencePrompts.source(ReferencePrompts.bundledAbstracts(), BioGptTokenizer.load(model)));
                } else {
                    for (int promptLen : generation.promptLens) {
                        sources.add(GenerationBenchmark.Prompts.random(m.config(), promptLen));
                    }
                }
                for (GenerationBenchmark.Prompts source : sources) {
                    for (GenerationBenchmark.Result r : GenerationBenchmark.measure(models, labels,
                            batches, source, generation.newTokens, generation.generateReps)) {
                        System.out.println(r + (hf == null ? "" : "; " + hf.greedyRatio(r.batch(), r.medianTokensPerSecond())));
                    }
                }
                for (int i = 0; i < models.size(); i++) {
                    BioGptModel each = models.get(i);
                    if (each.backend().packedWeightBytes() > 0) {
                        System.out.printf(Locale.ROOT, "decode kernel (%s): packed weights %.0f MiB of Java heap%s; %s%n",
                                labels.get(i), each.backend().packedWeightBytes() / 1048576.0, each.backend().packedOnly()
                                        ? " (the layers' only copy: libtorch's was released)" : "", ModelBenchmark.memoryNow());
                    }
                }
                for (BioGptModel extra : models.subList(1, models.size())) {
                    extra.close();
                }
            }
        }
        return 0;
    }

    /** The model's options: --threads and how --decode-kernel, --decode-weights, --device load it. */
    private ModelOptions modelOptions() {
        return loading.modelOptions(intraOp.threads);
    }

    /** A model's name in the generation lines: the kernel and its weights' format, or djl. */
    private static String label(BioGptModel m, DecodeWeights format) {
        return m.backend().kernelTakesDecodeStep(8) ? "kernel-" + format.label() : "djl";
    }

    /** What 8-row decode steps run on, and why. */
    private static String kernelStatus(BioGptModel m) {
        Backend.Choice c = m.backend().forDecodeStep(8);
        return c.kind() + " (" + c.why() + ")";
    }
}
