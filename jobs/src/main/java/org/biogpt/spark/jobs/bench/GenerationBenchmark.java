package org.biogpt.spark.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.ForwardingStepModel;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.generate.StepModel;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.NextTokens;

/**
 * Greedy generation throughput, measured as Hugging Face's reference was: B left-padded prompts
 * (random ids of a given length, or the reference's own texts: {@link ReferencePrompts}),
 * {@code max_new_tokens = min_new_tokens = 32} (eos banned, so every row makes all 32 tokens),
 * end-to-end time of {@code generate} including the prompt prefill.
 * tokens/s = B · 32 / seconds. The median decode step (one token for every row, LM head and
 * greedy pick included) is reported apart from the prefill.
 *
 * <p>Several models (e.g. the same weights with the decode kernel on and off) are measured
 * interleaved, repetition by repetition, so host drift hits them alike.
 */
public final class GenerationBenchmark {
    /** One model's figures at one batch size. */
    public record Result(String label, int batch, String prompts, int newTokens, double[] tokensPerSecond,
                         double[] prefillSeconds, double[] stepMsMedian, String load, String memoryAfter) {

        double median(double[] a) {
            double[] s = a.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        public double medianTokensPerSecond() {
            return median(tokensPerSecond);
        }

        @Override
        public String toString() {
            double tps = medianTokensPerSecond();
            double min = Arrays.stream(tokensPerSecond).min().orElse(Double.NaN);
            double max = Arrays.stream(tokensPerSecond).max().orElse(Double.NaN);
            return String.format(Locale.ROOT,
                    "generate [%s] greedy b%d, %s, %d new tokens: %.1f tokens/s (median of %d, min %.1f, max %.1f), "
                            + "decode step %.1f ms (median), prefill %.2f s; load avg during run %s; after: %s",
                    label, batch, prompts, newTokens, tps, tokensPerSecond.length, min, max, median(stepMsMedian),
                    median(prefillSeconds), load, memoryAfter);
        }
    }

    /**
     * Where a run's prompts come from.
     *
     * @param name     what they are, for the output line ("38-token prompts")
     * @param forBatch the prompts of a batch of B rows, token ids with the leading {@code </s>}
     */
    public record Prompts(String name, IntFunction<List<int[]>> forBatch) {
        /** Random ids above the special tokens, the longest {@code promptLen} tokens ({@link #prompts}). */
        public static Prompts random(BioGptConfig c, int promptLen) {
            return new Prompts(promptLen + "-token prompts", b -> prompts(c, b, promptLen, 11L + b));
        }
    }

    private GenerationBenchmark() {
    }

    /**
     * Measures each model at each batch size: one warm-up generate, then {@code reps} timed ones,
     * the models alternating within each repetition.
     *
     * @param labels a name per model for the output
     */
    public static List<Result> measure(List<BioGptModel> models, List<String> labels, int[] batches, Prompts source,
                                       int newTokens, int reps) {
        List<Result> out = new ArrayList<>();
        for (int batch : batches) {
            List<int[]> prompts = source.forBatch().apply(batch);
            GenerationConfig config = config(models.get(0).config(), newTokens);
            double[][] tps = new double[models.size()][reps];
            double[][] prefill = new double[models.size()][reps];
            double[][] step = new double[models.size()][reps];
            for (int i = 0; i < models.size(); i++) {
                // Warm-up: JIT, first-touch page faults, packing. Printed: a one-shot process pays it.
                Timing t = run(models.get(i), prompts, config);
                System.err.printf(Locale.ROOT, "  [%s] b%d warm-up: %.2f s in all, prefill %.2f s, first steps %s ms, median step %.1f ms%n",
                        labels.get(i), batch, t.seconds, t.prefillSeconds, t.firstStepsMs, t.stepMsMedian);
            }
            String load0 = loadAverage();
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < models.size(); i++) {
                    Timing t = run(models.get(i), prompts, config);
                    tps[i][r] = (double) batch * newTokens / t.seconds;
                    prefill[i][r] = t.prefillSeconds;
                    step[i][r] = t.stepMsMedian;
                    System.err.printf(Locale.ROOT, "  [%s] b%d rep %d: %.1f tokens/s, step %.1f ms, prefill %.2f s (load %s)%n",
                            labels.get(i), batch, r + 1, tps[i][r], t.stepMsMedian, t.prefillSeconds, loadAverage());
                }
            }
            String load = load0 + " -> " + loadAverage();
            String memory = ModelBenchmark.memoryNow();
            for (int i = 0; i < models.size(); i++) {
                out.add(new Result(labels.get(i), batch, describe(source, prompts), newTokens, tps[i], prefill[i], step[i], load,
                        memory));
            }
        }
        return out;
    }

    private record Timing(double seconds, double prefillSeconds, double stepMsMedian, String firstStepsMs) {
    }

    private static Timing run(BioGptModel model, List<int[]> prompts, GenerationConfig config) {
        try (TimedStepModel m = new TimedStepModel(new BioGptStepModel(model))) {
            long t0 = System.nanoTime();
            List<GenerationResult> results = new Generator(m).generate(prompts, config);
            double secs = (System.nanoTime() - t0) / 1e9;
            for (GenerationResult g : results) {
                if (g.best().tokens().length != config.minNewTokens()) {
                    throw new IllegalStateException("a row made " + g.best().tokens().length + " tokens, expected " + config.minNewTokens());
                }
            }
            long[] steps = m.stepNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double stepMs = steps.length == 0 ? Double.NaN : steps[steps.length / 2] / 1e6;
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < Math.min(4, m.stepNanos.size()); i++) {
                first.append(i == 0 ? "" : ", ").append(Math.round(m.stepNanos.get(i) / 1e6));
            }
            return new Timing(secs, m.prefillNanos / 1e9, stepMs, first.toString());
        }
    }

    /** "38-token prompts (178 tokens, padded to 38)": the name, the real tokens and the padded width. */
    static String describe(Prompts source, List<int[]> prompts) {
        int tokens = prompts.stream().mapToInt(p -> p.length).sum();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        return source.name() + " (" + tokens + " tokens, padded to " + width + ")";
    }

    /** Greedy, exactly {@code newTokens} new tokens per row (eos banned until then). */
    static GenerationConfig config(BioGptConfig c, int newTokens) {
        return GenerationConfig.defaults()
                .withEosTokenIds(c.eosTokenId())
                .withPadTokenId(c.padTokenId())
                .withMaxNewTokens(newTokens)
                .withMinNewTokens(newTokens);
    }

    /** Random ids above the special tokens; lengths promptLen − 4 .. promptLen, so rows are left-padded. */
    static List<int[]> prompts(BioGptConfig c, int batch, int promptLen, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int len = Math.max(2, promptLen - (b % 5));
            int[] ids = new int[len];
            ids[0] = c.eosTokenId(); // the tokenizer's BOS is </s>
            for (int t = 1; t < len; t++) {
                ids[t] = 4 + rnd.nextInt(c.vocabSize() - 4);
            }
            out.add(ids);
        }
        return out;
    }

    /** /proc/loadavg's 1-minute figure, or "?" where procfs is unavailable. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** Times the prefill and every decode step of a generate call, full-logits or reduced (plain greedy). */
    private static final class TimedStepModel extends ForwardingStepModel {
        final List<Long> stepNanos = new ArrayList<>();
        long prefillNanos;

        TimedStepModel(StepModel inner) {
            super(inner);
        }

        @Override
        public float[][] prefill(long[][] ids, int[][] mask) {
            long t = System.nanoTime();
            float[][] out = inner.prefill(ids, mask);
            prefillNanos += System.nanoTime() - t;
            return out;
        }

        @Override
        public NextTokens prefillMostLikely(long[][] ids, int[][] mask) {
            long t = System.nanoTime();
            NextTokens out = inner.prefillMostLikely(ids, mask);
            prefillNanos += System.nanoTime() - t;
            return out;
        }

        @Override
        public float[][] step(long[] tokens) {
            long t = System.nanoTime();
            float[][] out = inner.step(tokens);
            stepNanos.add(System.nanoTime() - t);
            return out;
        }

        @Override
        public NextTokens stepMostLikely(long[] tokens) {
            long t = System.nanoTime();
            NextTokens out = inner.stepMostLikely(tokens);
            stepNanos.add(System.nanoTime() - t);
            return out;
        }
    }
}
