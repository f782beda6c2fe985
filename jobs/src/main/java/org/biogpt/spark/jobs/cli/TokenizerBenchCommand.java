package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.bench.TokenizerBenchmark;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench-tokenizer}: texts/s and tokens/s of the tokenizer, one thread and all cores. */
@Command(name = "bench-tokenizer", mixinStandardHelpOptions = true,
        description = "Measure tokenizer throughput on a JSONL corpus ({\"title\"?, \"text\"} per line).")
public final class TokenizerBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint directory (vocab.json, merges.txt).")
    Path model;

    @Option(names = "--input", required = true, description = "JSONL corpus; title and text are joined as in BC5CDR.")
    String input;

    @Option(names = "--rounds", defaultValue = "20", description = "Timed passes over the corpus (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed passes (JIT warm-up) first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws Exception {
        List<String> texts = new ArrayList<>();
        try (JsonLines.Reader in = JsonLines.reader(input)) {
            while (in.hasNext()) {
                JsonNode row = in.next().json();
                String title = row.path("title").asText("");
                String text = row.path("text").asText(row.path("abstract").asText(""));
                texts.add(title.isEmpty() ? text : title + " " + text);
            }
        }
        BioGptTokenizer tokenizer = BioGptTokenizer.load(model);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("bench-tokenizer: %d texts, %d warm-up + %d timed rounds%n", texts.size(), warmup, rounds);
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            TokenizerBenchmark.Result r = TokenizerBenchmark.run(tokenizer, texts, threads, warmup, rounds);
            System.out.printf("threads=%d  texts/s=%.0f  tokens/s=%.0f%n", threads, r.textsPerSecond(), r.tokensPerSecond());
        }
        return 0;
    }
}
