package org.biogpt.spark.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.DjlRuntime;
import org.biogpt.spark.core.model.ModelOptions;

/**
 * Prefill throughput: batches of random abstracts-sized token rows (default 4 × 256) through the
 * model with LM logits on the last position only, as scoring and the first generation step need.
 * One warm-up forward first (the first forward pays page faults on fresh memory), then timed
 * repetitions; the median is reported. FLOPs count the matmuls: 2 × matmul parameters per token,
 * the attention products (full T×T square: 4·T²·d per layer and row), and the LM head on one
 * position per row. Memory is the process RSS from /proc/self/status.
 */
public final class ModelBenchmark {

    /** What {@code bench --model DIR} prints. */
    public record Result(int batch, int seqLen, int threads, int reps, double loadSeconds,
                         double[] secondsPerForward, double medianSeconds, double tokensPerSecond, double gflops,
                         long weightBytes, long rssBeforeLoadBytes, long rssAfterLoadBytes, long rssAfterBytes,
                         long peakRssBytes) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "prefill %d x %d, %d threads: %.1f tokens/s (median of %d, %s s), %.1f GFLOP/s; load %.1f s; "
                            + "weights %.0f MiB; RSS before load %.0f MiB, after load %.0f MiB, after %.0f MiB, peak %.0f MiB",
                    batch, seqLen, threads, tokensPerSecond, reps, Arrays.toString(round(secondsPerForward)), gflops,
                    loadSeconds, mib(weightBytes), mib(rssBeforeLoadBytes), mib(rssAfterLoadBytes), mib(rssAfterBytes),
                    mib(peakRssBytes));
        }

        private static double[] round(double[] s) {
            return Arrays.stream(s).map(x -> Math.round(x * 1000) / 1000.0).toArray();
        }
    }

    private ModelBenchmark() {
    }

    /** Loads the model from {@code dir} and measures it. */
    public static Result run(Path dir, int batch, int seqLen, int threads, int reps) {
        long rssBefore = rss("VmRSS");
        long t0 = System.nanoTime();
        try (BioGptModel model = BioGptModel.load(dir, ModelOptions.defaults().withThreads(threads))) {
            double load = (System.nanoTime() - t0) / 1e9;
            return measure(model, batch, seqLen, reps, load, rssBefore);
        }
    }

    /** Measures an already loaded model. */
    public static Result measure(BioGptModel model, int batch, int seqLen, int reps, double loadSeconds, long rssBeforeLoad) {
        BioGptConfig c = model.config();
        if (seqLen > c.maxPositions()) {
            throw new IllegalArgumentException("seqLen " + seqLen + " > max_position_embeddings " + c.maxPositions());
        }
        long rssAfterLoad = rss("VmRSS");
        Batch input = randomBatch(c, batch, seqLen, 7);
        model.lastLogits(input); // warm-up
        double[] secs = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            model.lastLogits(input);
            secs[i] = (System.nanoTime() - t) / 1e9;
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = sorted[reps / 2];
        double tokens = (double) batch * seqLen;
        long d = c.hiddenSize();
        double flops = batch * (2.0 * model.weights().matmulParamsPerToken() * seqLen
                + 4.0 * c.numLayers() * (double) seqLen * seqLen * d
                + 2.0 * c.vocabSize() * d);
        long weightBytes = 4L * (c.vocabSize() + c.maxPositions() + 2L) * d
                + 4L * (model.weights().matmulParamsPerToken() + c.numLayers() * (9L * d + c.intermediateSize()) + 2L * d);
        return new Result(batch, seqLen, DjlRuntime.threads(), reps, loadSeconds, secs, median, tokens / median,
                flops / median / 1e9, weightBytes, rssBeforeLoad, rssAfterLoad, rss("VmRSS"), rss("VmHWM"));
    }

    /** Random ids above the special tokens, no padding. */
    static Batch randomBatch(BioGptConfig c, int batch, int seqLen, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[][] ids = new long[batch][seqLen];
        int[][] mask = new int[batch][seqLen];
        for (int b = 0; b < batch; b++) {
            ids[b][0] = c.eosTokenId(); // the tokenizer's BOS is </s>
            for (int t = 1; t < seqLen; t++) {
                ids[b][t] = 4 + rnd.nextInt(c.vocabSize() - 4);
            }
            Arrays.fill(mask[b], 1);
        }
        return new Batch(ids, mask);
    }

    /**
     * The process's memory now, for bench's lines: RSS, its peak so far and the Java heap's
     * committed size (what the heap adds to RSS at most), in MiB.
     */
    public static String memoryNow() {
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        return String.format(java.util.Locale.ROOT, "RSS %.0f MiB (peak %.0f MiB, Java heap committed %.0f MiB)",
                mib(rss("VmRSS")), mib(rss("VmHWM")), mib(heap));
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    /** A field of /proc/self/status in bytes (VmRSS, VmHWM); -1 where procfs is unavailable. */
    public static long rss(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** {@code ModelBenchmark MODEL_DIR [threads=2] [reps=3] [batch=4] [seqLen=256]}. */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int seq = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        System.out.println(run(dir, batch, seq, threads, reps));
    }
}
