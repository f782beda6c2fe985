package org.biogpt.spark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.generate.StepModel;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * How far decode steps over bf16 packed weights move from the exact fp32 ones on one checkpoint,
 * over real abstracts: B prompts (title + abstract of the first documents of a JSONL file, cut to a
 * prompt length), prefilled once per model, then
 * <ul>
 *   <li>teacher-forced steps (both models fed fp32's greedy token, so a flip does not compound): the
 *       largest |Δ logit|, the largest |logit| beside it, and the steps whose greedy token differs,
 *       with fp32's own logit gap between the two tokens at the widest such flip;</li>
 *   <li>free-running greedy search of the same length on each: tokens before each row's first
 *       difference, and rows that came out identical.</li>
 * </ul>
 * The two models share the loaded weights; each packs its own copy at its first decode step.
 */
public final class DecodeDrift {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecodeDrift() {
    }

    /** One line per (batch, prompt length). */
    public static List<String> run(BioGptModel exact, ModelOptions options, Path documents, int[] batches, int[] promptLens,
                                   int steps, BioGptTokenizer tokenizer) {
        if (exact.options().decodeWeights() != DecodeWeights.FP32) {
            throw new IllegalArgumentException("the reference model must pack fp32 decode weights");
        }
        // Same weights; not closed: closing a model closes its weights, the caller's model does that.
        BioGptModel half = new BioGptModel(exact.weights(), options.withDecodeWeights(DecodeWeights.BF16));
        List<String> texts = texts(documents, Arrays.stream(batches).max().orElse(1));
        List<String> out = new ArrayList<>();
        for (int promptLen : promptLens) {
            for (int batch : batches) {
                List<int[]> prompts = new ArrayList<>();
                for (int r = 0; r < batch; r++) {
                    int[] ids = tokenizer.encodeIds(texts.get(r % texts.size()));
                    prompts.add(Arrays.copyOf(ids, Math.min(ids.length, Math.min(promptLen, exact.config().maxPositions() - steps))));
                }
                out.add(compare(exact, half, prompts, steps));
            }
        }
        return out;
    }

    private static String compare(BioGptModel exact, BioGptModel half, List<int[]> prompts, int steps) {
        List<long[]> rows = new ArrayList<>();
        for (int[] p : prompts) {
            rows.add(Arrays.stream(p).asLongStream().toArray());
        }
        Batch batch = Batch.leftPadded(rows, exact.config().padTokenId());
        double worst = 0;
        double largest = 0;
        double widestFlip = 0;
        int flips = 0;
        int picks = 0;
        try (ForwardState x = exact.prefill(batch); ForwardState y = half.prefill(batch)) {
            for (int step = 0; step <= steps; step++) {
                float[][] lx = x.logits();
                float[][] ly = y.logits();
                long[] next = new long[lx.length];
                for (int r = 0; r < lx.length; r++) {
                    for (int v = 0; v < lx[r].length; v++) {
                        worst = Math.max(worst, Math.abs(lx[r][v] - ly[r][v]));
                        largest = Math.max(largest, Math.abs(lx[r][v]));
                    }
                    int ax = LogitMath.argmax(lx[r]);
                    int ay = LogitMath.argmax(ly[r]);
                    if (ax != ay) {
                        flips++;
                        widestFlip = Math.max(widestFlip, lx[r][ax] - lx[r][ay]);
                    }
                    picks++;
                    next[r] = ax;
                }
                if (step < steps) {
                    x.step(next);
                    y.step(next);
                }
            }
        }
        GenerationConfig config = GenerationBenchmark.config(exact.config(), steps);
        List<GenerationResult> a = generate(exact, prompts, config);
        List<GenerationResult> b = generate(half, prompts, config);
        int agreeing = 0;
        int total = 0;
        int identical = 0;
        for (int r = 0; r < prompts.size(); r++) {
            int[] s = a.get(r).sequences().get(0).tokens();
            int[] t = b.get(r).sequences().get(0).tokens();
            int k = 0;
            while (k < Math.min(s.length, t.length) && s[k] == t[k]) {
                k++;
            }
            agreeing += k;
            total += s.length;
            identical += Arrays.equals(s, t) ? 1 : 0;
        }
        int shortest = prompts.stream().mapToInt(p -> p.length).min().orElse(0);
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        return String.format(Locale.ROOT, "decode drift bf16 vs fp32, batch %d, %d-%d-token prompts, %d steps: teacher-forced max |dlogit| %.4g"
                        + " (largest |logit| %.3g), greedy token differs at %d of %d steps (widest fp32 gap at a flip %.3g);"
                        + " free-running greedy: %d of %d tokens before each row's first difference, %d of %d rows identical",
                prompts.size(), shortest, longest, steps, worst, largest, flips, picks, widestFlip, agreeing, total, identical,
                prompts.size());
    }

    private static List<GenerationResult> generate(BioGptModel model, List<int[]> prompts, GenerationConfig config) {
        try (StepModel m = new BioGptStepModel(model)) {
            return new Generator(m).generate(prompts, config);
        }
    }

    /** Title and text of the first {@code n} documents of a JSONL file ({"title", "text"}). */
    private static List<String> texts(Path file, int n) {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null && out.size() < n; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode doc = JSON.readTree(line);
                String text = (doc.path("title").asText("") + " " + doc.path("text").asText("")).trim();
                if (!text.isEmpty()) {
                    out.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read documents from " + file, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " has no document with a title or text");
        }
        return out;
    }
}
