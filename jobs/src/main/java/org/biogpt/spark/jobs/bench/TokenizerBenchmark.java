package org.biogpt.spark.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Tokenizer throughput: texts/s and tokens/s over a list of texts, on one or more threads sharing
 * one tokenizer. Warm-up rounds let the JIT compile and the BPE cache fill, as in a long job.
 */
public final class TokenizerBenchmark {
    /** Throughput of the measured rounds; {@code tokens} counts ids, BOS included. */
    public record Result(int threads, int rounds, long texts, long tokens, double seconds) {
        public double textsPerSecond() {
            return texts / seconds;
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }

        @Override
        public String toString() {
            return String.format("threads=%d: %.0f texts/s, %.0f tokens/s (%d texts, %d tokens in %.2f s)",
                    threads, textsPerSecond(), tokensPerSecond(), texts, tokens, seconds);
        }
    }

    private TokenizerBenchmark() {
    }

    /** Each round encodes every text once ({@link BioGptTokenizer#encodeIds}), split over {@code threads}. */
    public static Result run(BioGptTokenizer tokenizer, List<String> texts, int threads, int warmupRounds, int rounds) {
        if (threads < 1 || rounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("need threads >= 1, rounds >= 1, warmupRounds >= 0");
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to benchmark");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = 0; r < warmupRounds; r++) {
                round(tokenizer, texts, threads, pool);
            }
            long tokens = 0;
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                tokens += round(tokenizer, texts, threads, pool);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(threads, rounds, (long) texts.size() * rounds, tokens, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long round(BioGptTokenizer tokenizer, List<String> texts, int threads, ExecutorService pool) {
        List<Future<Long>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) texts.size() * t / threads);
            int to = (int) ((long) texts.size() * (t + 1) / threads);
            parts.add(pool.submit(() -> {
                long count = 0;
                for (int i = from; i < to; i++) {
                    count += tokenizer.encodeIds(texts.get(i)).length;
                }
                return count;
            }));
        }
        long tokens = 0;
        try {
            for (Future<Long> part : parts) {
                tokens += part.get(1, TimeUnit.HOURS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark round failed", e);
        }
        return tokens;
    }

    /** {@code TokenizerBenchmark MODEL_DIR TEXTS_FILE}: one text per line; prints 1-thread and all-core figures. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TokenizerBenchmark MODEL_DIR TEXTS_FILE (one text per line)");
            System.exit(2);
        }
        BioGptTokenizer tokenizer = BioGptTokenizer.load(Path.of(args[0]));
        List<String> texts = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        System.out.println(run(tokenizer, texts, 1, 20, 20));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println(run(tokenizer, texts, cores, 20, 20));
    }
}
