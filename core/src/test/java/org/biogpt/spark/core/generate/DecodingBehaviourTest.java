package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching, sampling and stop rules on the f32 fixture, checked against the golden greedy/beam outputs. */
class DecodingBehaviourTest {
    private static final String F32 = GoldenCases.F32;
    private static final int[] GREEDY_PROMPTS = {0, 1, 2, 3, 4, 5};
    private static StepModel model;
    private static GenerationConfig base;

    @BeforeAll
    static void load() {
        model = new BioGptStepModel(GoldenCases.model(F32));
        base = GenerationConfig.load(Fixtures.model(F32)).withMaxNewTokens(20);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static JsonNode greedyCase(int p) {
        return GoldenCases.find(F32, "greedy/p" + p);
    }

    private static int[] prompt(JsonNode c) {
        return GoldenCases.prompts(c).get(0);
    }

    private static int[] goldenNew(JsonNode c, int row) {
        return GoldenCases.stripTrailingPads(c.get("new_tokens").get(row), 1);
    }

    private static List<GenerationResult> generate(List<int[]> prompts, GenerationConfig c) {
        return new Generator(model).generate(prompts, c);
    }

    @Test
    void greedyBatchOfAllPromptsEqualsEachReferenceRunAlone() {
        List<int[]> prompts = new ArrayList<>();
        for (int p : GREEDY_PROMPTS) {
            prompts.add(prompt(greedyCase(p)));
        }
        List<GenerationResult> results = generate(prompts, base);
        for (int i = 0; i < GREEDY_PROMPTS.length; i++) {
            assertArrayEquals(goldenNew(greedyCase(GREEDY_PROMPTS[i]), 0), results.get(i).best().tokens(), "p" + i);
        }
    }

    @Test
    void beamBatchOfPromptsOfDifferentLengthsEqualsEachReferenceRunAlone() {
        int[] ps = {5, 0, 2};
        List<int[]> prompts = new ArrayList<>();
        for (int p : ps) {
            prompts.add(prompt(GoldenCases.find(F32, "beam4/es=False/p" + p)));
        }
        GenerationConfig c = base.withNumBeams(4).withNumReturnSequences(2).withEarlyStopping(EarlyStopping.FALSE);
        List<GenerationResult> results = generate(prompts, c);
        for (int i = 0; i < ps.length; i++) {
            JsonNode want = GoldenCases.find(F32, "beam4/es=False/p" + ps[i]);
            for (int s = 0; s < 2; s++) {
                assertArrayEquals(goldenNew(want, s), results.get(i).sequences().get(s).tokens(), "p" + ps[i] + " seq " + s);
                assertEquals(want.get("sequences_scores").get(s).asDouble(), results.get(i).sequences().get(s).score(), 1e-4);
            }
        }
    }

    @Test
    void maxLengthWithoutMaxNewTokensCountsThePromptAsTheReferenceDoes() {
        JsonNode c = greedyCase(5); // prompt of 10 ids, no eos in the first 10 new tokens
        GenerationResult r = generate(List.of(prompt(c)), base.withMaxNewTokens(null).withMaxLength(20)).get(0);
        assertArrayEquals(Arrays.copyOf(goldenNew(c, 0), 10), r.best().tokens());
        assertEquals(StopReason.MAX_LENGTH, r.best().stopReason());
    }

    @Test
    void anyIdOfAnEosListEndsTheSequence() {
        JsonNode c = greedyCase(0);
        int[] want = goldenNew(c, 0);
        GenerationResult r = generate(List.of(prompt(c)), base.withEosTokenIds(2, want[3])).get(0);
        assertArrayEquals(Arrays.copyOf(want, 4), r.best().tokens());
        assertEquals(StopReason.EOS, r.best().stopReason());
    }

    @Test
    void stopStringEndsTheSequenceAtTheTokenThatCompletesIt() {
        JsonNode c = greedyCase(1);
        int[] want = goldenNew(c, 0);
        Function<int[], String> decoder = ids -> Arrays.stream(ids).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        String stop = "w" + want[4] + " w" + want[5]; // spans two tokens
        GenerationResult r = new Generator(model, decoder)
                .generate(List.of(prompt(c)), base.withStopStrings(List.of(stop))).get(0);
        assertArrayEquals(Arrays.copyOf(want, 6), r.best().tokens());
        assertEquals(StopReason.STOP_STRING, r.best().stopReason());
    }

    @Test
    void stopStringsWithoutADecoderAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generate(List.of(new int[] {2}), base.withStopStrings(List.of("x"))));
        assertTrue(e.getMessage().contains("decoder"), e.getMessage());
    }

    @Test
    void minNewTokensKeepsEosAwayUntilEnoughTokens() {
        JsonNode c = greedyCase(4); // the reference ends at once with eos
        assertArrayEquals(new int[] {2}, goldenNew(c, 0));
        int[] got = generate(List.of(prompt(c)), base.withMinNewTokens(3)).get(0).best().tokens();
        assertTrue(got.length >= 3);
        for (int i = 0; i < 3; i++) {
            assertNotEquals(2, got[i], "eos at " + i);
        }
    }

    @Test
    void firstTokenLogProbIsTheReferenceLogSoftmaxOfThePromptsLastLogits() {
        // greedy/p5 and greedy/p4 have the prompts of causal_lm.single t010 and t031.
        for (String[] pair : new String[][] {{"5", "t010"}, {"4", "t031"}}) {
            JsonNode last = null;
            for (JsonNode single : Fixtures.golden().get("causal_lm").get("single")) {
                if (single.get("id").asText().equals(pair[1])) {
                    last = single.get("last_logits");
                }
            }
            JsonNode c = greedyCase(Integer.parseInt(pair[0]));
            GeneratedSequence s = generate(List.of(prompt(c)), base).get(0).best();
            assertEquals(last.get("argmax").asInt(), s.tokens()[0]);
            assertEquals(last.get("max").asDouble() - last.get("logsumexp").asDouble(), s.tokenLogProbs()[0], 1e-4);
            double sum = 0;
            for (float x : s.tokenLogProbs()) {
                assertTrue(x < 0);
                sum += x;
            }
            assertEquals(sum / s.tokens().length, s.score(), 1e-5, "score = mean log-prob at length_penalty 1");
        }
    }

    @Test
    void samplingWithTopKOneIsGreedy() {
        for (int p : new int[] {0, 2, 5}) {
            JsonNode c = greedyCase(p);
            GenerationConfig sample = base.withDoSample(true).withTopK(1).withSeed(123);
            assertArrayEquals(goldenNew(c, 0), generate(List.of(prompt(c)), sample).get(0).best().tokens(), "p" + p);
        }
    }

    @Test
    void sameSeedSamplesTheSameTokensWhateverTheBatch() {
        GenerationConfig sample = base.withDoSample(true).withSeed(7);
        int[] target = prompt(greedyCase(3));
        int[] alone = generate(List.of(target), sample).get(0).best().tokens();

        List<int[]> mixed = List.of(prompt(greedyCase(5)), prompt(greedyCase(0)), target, prompt(greedyCase(4)));
        int[] inBatch = generate(mixed, sample).get(2).best().tokens();
        assertArrayEquals(alone, inBatch);

        List<int[]> twice = List.of(target, prompt(greedyCase(1)), target);
        List<GenerationResult> r = generate(twice, sample);
        assertArrayEquals(alone, r.get(0).best().tokens());
        assertArrayEquals(alone, r.get(2).best().tokens());
    }

    @Test
    void differentSeedsAndDifferentDrawsSampleDifferentTokens() {
        int[] target = prompt(greedyCase(0));
        GenerationConfig sample = base.withDoSample(true).withTopK(50);
        int[] a = generate(List.of(target), sample.withSeed(1)).get(0).best().tokens();
        int[] b = generate(List.of(target), sample.withSeed(2)).get(0).best().tokens();
        assertFalse(Arrays.equals(a, b));

        List<GeneratedSequence> three = generate(List.of(target), sample.withSeed(1).withNumReturnSequences(3))
                .get(0).sequences();
        assertEquals(3, three.size());
        assertArrayEquals(a, three.get(0).tokens()); // draw 0 is the single-sequence draw
        assertFalse(Arrays.equals(three.get(0).tokens(), three.get(1).tokens()));
        assertFalse(Arrays.equals(three.get(1).tokens(), three.get(2).tokens()));
    }
}
