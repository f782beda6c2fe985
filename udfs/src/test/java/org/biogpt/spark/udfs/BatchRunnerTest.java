package org.biogpt.spark.udfs;

import org.biogpt.spark.udfs.partition.BatchRunner;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.Outcome;
import org.biogpt.spark.udfs.partition.TextInput;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.tasks.Classification;
import org.biogpt.spark.udfs.tasks.ClassifyTask;
import org.biogpt.spark.udfs.tasks.TokenizeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunnerTest {
    private static final Path SEQ = UdfsFixtures.model("sequence-classification");
    private static final BioGptTokenizer TOKENIZER = BioGptTokenizer.load(SEQ);
    private static final String LONG = "Aspirin inhibits platelets. ".repeat(40);
    private static final List<String> TEXTS = Arrays.asList(
            "Metformin is the first-line therapy for type 2 diabetes mellitus in adults with normal renal function.",
            "p53", null, "IL-2 stimulates the proliferation of activated T cells.", "", LONG,
            "The BRCA1 gene encodes a tumor suppressor involved in DNA repair.", "   ",
            "COVID-19", "Hypertension & diabetes are major risk factors for stroke in the elderly population of Europe.",
            "β-blockers reduce mortality.");

    @TempDir
    Path dir;

    private static InferenceSettings settings(LengthPolicy policy, int batchSize, int maxTokens, int maxInput) {
        return InferenceSettings.of(new ModelSpec(SEQ.toString(), DeviceChoice.CPU, 1, policy), batchSize, maxTokens,
                maxInput);
    }

    private static Classification direct(Encoding e) {
        BioGptModel model = BioGptModel.load(SEQ, ModelOptions.defaults().withThreads(1));
        long[] ids = Arrays.stream(e.ids()).asLongStream().toArray();
        return ClassifyTask.classification(model.classifySequences(Batch.of(ids))[0], model.config().id2label());
    }

    /** Records every batch the runner hands to the task. */
    private static final class Recording implements ModelTask<Classification> {
        final List<List<TextInput>> batches = new ArrayList<>();
        final ClassifyTask inner = new ClassifyTask();

        @Override
        public boolean needsModel() {
            return true;
        }

        @Override
        public List<Classification> run(BioGptModel model, List<TextInput> batch) {
            batches.add(batch);
            return inner.run(model, batch);
        }
    }

    @Test
    void resultsComeBackInInputOrderAndEqualOneRowCoreCalls() {
        Recording task = new Recording();
        List<Outcome<Classification>> out = new BatchRunner<>(settings(LengthPolicy.ERROR, 3, 60, 0), TOKENIZER, task, null)
                .run(TEXTS);
        assertEquals(TEXTS.size(), out.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            String t = TEXTS.get(i);
            if (t == null || t.isBlank() || t.equals(LONG)) {
                assertNull(out.get(i).result());
                continue;
            }
            Classification expected = direct(TOKENIZER.encode(t));
            Classification actual = out.get(i).result();
            assertNull(out.get(i).error());
            assertEquals(expected.label(), actual.label());
            expected.probabilities().forEach((k, v) -> assertEquals(v, actual.probabilities().get(k), 1e-5));
        }
    }

    @Test
    void batchesAreSortedByLengthAndRespectRowAndTokenBudgets() {
        Recording task = new Recording();
        new BatchRunner<>(settings(LengthPolicy.ERROR, 3, 60, 0), TOKENIZER, task, null).run(TEXTS);
        int previousMax = 0;
        int rows = 0;
        for (List<TextInput> batch : task.batches) {
            int longest = batch.stream().mapToInt(b -> b.encoding().length()).max().orElseThrow();
            int shortest = batch.stream().mapToInt(b -> b.encoding().length()).min().orElseThrow();
            assertTrue(batch.size() <= 3);
            assertTrue(batch.size() == 1 || batch.size() * longest <= 60, "padded tokens " + batch.size() * longest);
            assertTrue(shortest >= previousMax, "sorted by length");
            previousMax = longest;
            rows += batch.size();
        }
        assertEquals(7, rows, "every valid row exactly once");
        assertTrue(task.batches.size() >= 3);
    }

    @Test
    void rowLevelProblemsBecomeErrorsNotExceptions() {
        List<Outcome<Classification>> out = new BatchRunner<>(settings(LengthPolicy.ERROR, 4, 4096, 0), TOKENIZER,
                new ClassifyTask(), null).run(TEXTS);
        assertEquals("text is null", out.get(2).error());
        assertEquals("text is empty", out.get(4).error());
        assertEquals("text is empty", out.get(7).error());
        int longTokens = TOKENIZER.encode(LONG).length();
        assertTrue(out.get(5).error().startsWith("text has " + longTokens + " tokens, more than the limit of 128"),
                out.get(5).error());
    }

    @Test
    void truncateKeepsTheFirstTokensUpToMaxInputTokensOrTheModelLimit() {
        List<String> texts = List.of(LONG, TEXTS.get(0));
        List<Outcome<Classification>> capped = new BatchRunner<>(settings(LengthPolicy.TRUNCATE, 4, 4096, 0), TOKENIZER,
                new ClassifyTask(), null).run(texts);
        assertEquals(direct(TOKENIZER.encode(LONG).truncate(128)).label(), capped.get(0).result().label());
        List<Outcome<Encoding>> tokens = new BatchRunner<>(settings(LengthPolicy.TRUNCATE, 4, 4096, 10), TOKENIZER,
                new TokenizeTask(), null).run(texts);
        assertArrayEquals(TOKENIZER.encode(LONG).truncate(10).ids(), tokens.get(0).result().ids());
        assertArrayEquals(TOKENIZER.encode(TEXTS.get(0)).truncate(10).ids(), tokens.get(1).result().ids());
    }

    @Test
    void aRowTheModelRejectsFailsAloneAndItsBatchNeighboursSucceed() {
        ModelTask<String> picky = new ModelTask<>() {
            @Override
            public boolean needsModel() {
                return false;
            }

            @Override
            public List<String> run(BioGptModel model, List<TextInput> batch) {
                List<String> out = new ArrayList<>();
                for (TextInput t : batch) {
                    if (t.text().equals("COVID-19")) {
                        throw new IllegalArgumentException("cannot parse");
                    }
                    out.add(t.text().toUpperCase());
                }
                return out;
            }
        };
        List<Outcome<String>> out = new BatchRunner<>(settings(LengthPolicy.ERROR, 8, 4096, 0), TOKENIZER, picky, null)
                .run(List.of("p53", "COVID-19", "β-blockers reduce mortality."));
        assertEquals("P53", out.get(0).result());
        assertEquals("model call failed: cannot parse", out.get(1).error());
        assertEquals("Β-BLOCKERS REDUCE MORTALITY.", out.get(2).result());
    }

    @Test
    void tokenizerOnlyTasksNeverLoadWeights() {
        Path noWeights = UdfsFixtures.copy("sequence-classification", dir.resolve("vocab-only"), "model.safetensors",
                "pytorch_model.bin");
        ModelSpec spec = ModelSpec.cpu(noWeights.toString());
        List<Outcome<Encoding>> out = new BatchRunner<>(InferenceSettings.of(spec, 2, 100, 0), TOKENIZER,
                new TokenizeTask(), null).run(TEXTS);
        assertEquals(TOKENIZER.encode(LONG), out.get(5).result(), "no model, so no position limit");
        assertEquals(0, ModelCache.loadCount(spec));
    }
}
