package org.biogpt.spark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --decode-drift on the tiny F32 fixture: one line per (batch, prompt length), the drift within bf16's rounding. */
class DecodeDriftTest {
    private static final Pattern DRIFT = Pattern.compile("max \\|dlogit\\| ([0-9.e-]+) \\(largest \\|logit\\| ([0-9.e+-]+)\\)");

    @TempDir
    Path dir;

    @Test
    void reportsTeacherForcedDriftAndGreedyAgreementPerBatchAndPromptLength() throws Exception {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, "{\"title\": \"Famotidine-associated delirium.\", \"text\": \"Famotidine is a histamine H2-receptor "
                + "antagonist used in inpatient settings for prevention of stress ulcers.\"}\n"
                + "{\"title\": \"Indomethacin and hypertension.\", \"text\": \"Indomethacin raised the blood pressure of "
                + "patients treated with propranolol in a crossover study.\"}\n");
        Path model = Path.of(System.getProperty("biogpt.fixtures")).resolve("biogpt-tiny/causal-lm");
        ModelOptions exact = ModelOptions.defaults().withThreads(2).withDecodeKernel(true);
        try (BioGptModel m = BioGptModel.load(model, exact)) {
            List<String> lines = DecodeDrift.run(m, exact, docs, new int[] {1, 3}, new int[] {12}, 6, BioGptTokenizer.load(model));
            assertEquals(2, lines.size());
            for (String line : lines) {
                Matcher d = DRIFT.matcher(line);
                assertTrue(d.find(), line);
                double worst = Double.parseDouble(d.group(1));
                double largest = Double.parseDouble(d.group(2));
                // bf16 rounding (2^-8 relative per weight) keeps the tiny model's logits within 2 % of their scale.
                assertTrue(worst > 0 && worst <= 0.02 * largest, line);
                assertTrue(line.contains("6 steps") && line.contains("rows identical"), line);
            }
            assertTrue(lines.get(1).contains("batch 3"), lines.get(1));
            ModelOptions half = exact.withDecodeWeights(DecodeWeights.BF16);
            assertThrows(IllegalArgumentException.class, () -> DecodeDrift.run(new BioGptModel(m.weights(), half), half, docs,
                    new int[] {1}, new int[] {12}, 2, BioGptTokenizer.load(model)));
        }
    }
}
