package org.biogpt.spark.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.ClassifyTask;
import org.biogpt.spark.core.task.TokenizeTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
    private static final Path SEQ = Fixtures.model("sequence-classification");
    private static final BioGptModel MODEL = BioGptModel.load(SEQ, ModelOptions.defaults().withThreads(1));
    private static final BioGptTokenizer TOKENIZER = BioGptTokenizer.load(SEQ);
    private static final String LONG = "Aspirin inhibits platelets. ".repeat(40);
    private static final List<String> TEXTS = Arrays.asList(
            "Metformin is the first-line therapy for type 2 diabetes mellitus in adults with normal renal function.",
            "p53", null, "IL-2 stimulates the proliferation of activated T cells.", "", LONG,
            "The BRCA1 gene encodes a tumor suppressor involved in DNA repair.", "   ",
            "COVID-19", "Hypertension & diabetes are major risk factors for stroke in the elderly population of Europe.",
            "β-blockers reduce mortality.");

    private static <R> BatchRunner<R> runner(LengthPolicy policy, int batchSize, int maxTokens, int maxInput,
                                             ModelTask<R> task) {
        return new BatchRunner<>(RunSettings.of(batchSize, maxTokens, maxInput, policy), TOKENIZER, task, () -> MODEL,
                RunListener.NONE);
    }

    private static Classification direct(Encoding e) {
        long[] ids = Arrays.stream(e.ids()).asLongStream().toArray();
        return Classification.of(MODEL.classifySequences(Batch.of(ids))[0], MODEL.config().id2label(), false);
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
        List<Outcome<Classification>> out = runner(LengthPolicy.ERROR, 3, 60, 0, task)
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
        runner(LengthPolicy.ERROR, 3, 60, 0, task).run(TEXTS);
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
        List<Outcome<Classification>> out = runner(LengthPolicy.ERROR, 4, 4096, 0, new ClassifyTask()).run(TEXTS);
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
        List<Outcome<Classification>> capped = runner(LengthPolicy.TRUNCATE, 4, 4096, 0, new ClassifyTask()).run(texts);
        assertEquals(direct(TOKENIZER.encode(LONG).truncate(128)).label(), capped.get(0).result().label());
        List<Outcome<Encoding>> tokens = runner(LengthPolicy.TRUNCATE, 4, 4096, 10, new TokenizeTask()).run(texts);
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
        List<Outcome<String>> out = runner(LengthPolicy.ERROR, 8, 4096, 0, picky)
                .run(List.of("p53", "COVID-19", "β-blockers reduce mortality."));
        assertEquals("P53", out.get(0).result());
        assertEquals("model call failed: cannot parse", out.get(1).error());
        assertEquals("Β-BLOCKERS REDUCE MORTALITY.", out.get(2).result());
    }

    @Test
    void tokenizerOnlyTasksNeverLoadWeights() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<BioGptModel> counting = () -> {
            loads.incrementAndGet();
            return MODEL;
        };
        List<Outcome<Encoding>> out = new BatchRunner<>(RunSettings.of(2, 100, 0, LengthPolicy.ERROR), TOKENIZER,
                new TokenizeTask(), counting, RunListener.NONE).run(TEXTS);
        assertEquals(TOKENIZER.encode(LONG), out.get(5).result(), "no model, so no position limit");
        assertEquals(0, loads.get());
    }

    @Test
    void theListenerHearsRowsTokensBatchesAndErrorsOfEachCall() {
        long[] heard = new long[4];
        RunListener listener = (rows, tokens, batches, errors) -> {
            heard[0] += rows;
            heard[1] += tokens;
            heard[2] += batches;
            heard[3] += errors;
        };
        List<String> texts = Arrays.asList("p53", null, "COVID-19");
        new BatchRunner<>(RunSettings.of(1, 4096, 0, LengthPolicy.ERROR), TOKENIZER, new TokenizeTask(), () -> MODEL,
                listener).run(texts);
        long tokens = TOKENIZER.encode("p53").length() + TOKENIZER.encode("COVID-19").length();
        assertArrayEquals(new long[] {3, tokens, 2, 1}, heard);
    }

    @Test
    void rowsTheCallerPreparedKeepTheirOrderAndTheirRejections() {
        List<Outcome<TextInput>> rows = List.of(
                Outcome.ok(TextInput.ofIds(TOKENIZER.encodeIds(TEXTS.get(0)))),
                Outcome.failed("line 2: no text"),
                Outcome.ok(TextInput.ofIds(TOKENIZER.encodeIds("p53"))));
        List<Outcome<Classification>> out = runner(LengthPolicy.ERROR, 8, 4096, 0, new ClassifyTask()).runPrepared(rows);
        assertEquals(direct(TOKENIZER.encode(TEXTS.get(0))).label(), out.get(0).result().label());
        assertEquals("line 2: no text", out.get(1).error());
        assertEquals(direct(TOKENIZER.encode("p53")).label(), out.get(2).result().label());
    }
}
