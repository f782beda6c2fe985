package org.biogpt.spark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Hugging Face reference's figures, read from the JSON lines {@code tools/bench_hf.py} printed
 * on the same machine (one line per run; several runs of a batch size give their median). A ratio
 * is only meaningful against figures measured beside ours, so there are no built-in ones.
 */
public final class HfReference {
    private final double prefillTokensPerSecond;
    private final Map<Integer, Double> greedyTokensPerSecond;
    private final Map<Integer, Integer> greedyPromptLength;
    private final String machine;

    HfReference(double prefillTokensPerSecond, Map<Integer, Double> greedyTokensPerSecond,
                Map<Integer, Integer> greedyPromptLength, String machine) {
        this.prefillTokensPerSecond = prefillTokensPerSecond;
        this.greedyTokensPerSecond = greedyTokensPerSecond;
        this.greedyPromptLength = greedyPromptLength;
        this.machine = machine;
    }

    /** Reads bench_hf.py's output; lines that are not its JSON (log lines) are skipped. */
    public static HfReference read(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<Double> prefill = new ArrayList<>();
        Map<Integer, List<Double>> greedy = new TreeMap<>();
        Map<Integer, Integer> promptLength = new TreeMap<>();
        String machine = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HF reference figures " + file, e);
        }
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode n;
            try {
                n = json.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (n.has("machine")) {
                machine = n.get("machine").asText();
            }
            if (n.path("prefill").has("tokens_per_s")) {
                prefill.add(n.get("prefill").get("tokens_per_s").asDouble());
            }
            JsonNode g = n.path("generate_greedy");
            if (g.has("batch") && g.has("generated_tokens_per_s")) {
                greedy.computeIfAbsent(g.get("batch").asInt(), k -> new ArrayList<>()).add(g.get("generated_tokens_per_s").asDouble());
                if (g.has("prompt_len_padded")) {
                    promptLength.put(g.get("batch").asInt(), g.get("prompt_len_padded").asInt());
                }
            }
        }
        if (prefill.isEmpty() && greedy.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no bench_hf.py result line (prefill or generate_greedy)");
        }
        Map<Integer, Double> medians = new TreeMap<>();
        greedy.forEach((b, v) -> medians.put(b, median(v)));
        return new HfReference(prefill.isEmpty() ? Double.NaN : median(prefill), medians, promptLength, machine);
    }

    /** "1.52x HF (HF 210.3 tok/s)" or a note that the reference has no such figure. */
    public String prefillRatio(double tokensPerSecond) {
        return ratio(tokensPerSecond, prefillTokensPerSecond, "prefill", "");
    }

    /** The ratio, naming HF's prompt length: compare runs of like prompt lengths only. */
    public String greedyRatio(int batch, double tokensPerSecond) {
        Integer len = greedyPromptLength.get(batch);
        return ratio(tokensPerSecond, greedyTokensPerSecond.getOrDefault(batch, Double.NaN), "greedy batch " + batch,
                len == null ? "" : " at " + len + "-column prompts");
    }

    private String ratio(double ours, double theirs, String what, String detail) {
        if (Double.isNaN(theirs)) {
            return "no HF figure for " + what;
        }
        return String.format(Locale.ROOT, "%.2fx HF (HF %.1f tok/s%s%s)", ours / theirs, theirs, detail,
                machine == null ? "" : ", " + machine);
    }

    private static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
