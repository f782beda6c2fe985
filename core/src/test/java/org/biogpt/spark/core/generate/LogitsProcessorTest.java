package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.biogpt.spark.core.math.LogitMath;
import org.junit.jupiter.api.Test;

/** Each processor on small hand-worked rows (expected values follow Hugging Face's definitions). */
class LogitsProcessorTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;

    private static TokenHistory history(int[] prompt, int... generated) {
        TokenHistory h = new TokenHistory(prompt);
        for (int t : generated) {
            h.append(t, 0f);
        }
        return h;
    }

    @Test
    void noRepeatNGramBansTheTokenThatWouldRepeatATrigramPromptIncluded() {
        float[] s = new float[10];
        new NoRepeatNGramProcessor(3).apply(s, history(new int[] {5, 6, 7}, 1, 5, 6));
        float[] want = new float[10];
        want[7] = NEG; // "5 6 7" exists; the row ends with "5 6"
        assertArrayEquals(want, s);
    }

    @Test
    void noRepeatNGramBansNothingOnShortRows() {
        float[] s = new float[4];
        new NoRepeatNGramProcessor(3).apply(s, history(new int[] {1}));
        assertArrayEquals(new float[4], s);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOnce() {
        float[] s = {2f, -2f, 1f, 3f};
        new RepetitionPenaltyProcessor(2.0f).apply(s, history(new int[] {0, 1, 0}, 0));
        assertArrayEquals(new float[] {1f, -4f, 1f, 3f}, s);
    }

    @Test
    void minNewTokensBansEveryEosIdUntilReached() {
        float[] s = {0f, 0f, 0f, 0f};
        MinNewTokensProcessor p = new MinNewTokensProcessor(2, new int[] {2, 3});
        p.apply(s, history(new int[] {1}, 0));
        assertArrayEquals(new float[] {0f, 0f, NEG, NEG}, s);
        float[] t = {0f, 0f, 0f, 0f};
        p.apply(t, history(new int[] {1}, 0, 0));
        assertArrayEquals(new float[4], t);
    }

    @Test
    void topKKeepsTiesAtTheThreshold() {
        float[] s = {1f, 5f, 3f, 3f, 0f};
        new TopKWarper(2).apply(s, history(new int[] {0}));
        assertArrayEquals(new float[] {NEG, 5f, 3f, 3f, NEG}, s);
    }

    @Test
    void topPDropsTheTailWhoseMassIsAtMostOneMinusP() {
        float[] s = {(float) Math.log(0.05), (float) Math.log(0.5), (float) Math.log(0.15), (float) Math.log(0.3)};
        // ascending cumulative mass: 0.05, 0.20, 0.50, 1.0; with top_p 0.8 those <= 0.2 go
        new TopPWarper(0.8).apply(s, history(new int[] {0}));
        assertEquals(NEG, s[0]);
        assertEquals(NEG, s[2]);
        assertEquals((float) Math.log(0.5), s[1]);
        assertEquals((float) Math.log(0.3), s[3]);
    }

    @Test
    void topPAlwaysKeepsTheBestToken() {
        float[] s = {0f, 10f};
        new TopPWarper(1e-9).apply(s, history(new int[] {0}));
        assertArrayEquals(new float[] {NEG, 10f}, s);
    }

    @Test
    void temperatureDividesScores() {
        float[] s = {1f, -2f};
        new TemperatureWarper(0.5f).apply(s, history(new int[] {0}));
        assertArrayEquals(new float[] {2f, -4f}, s);
    }

    @Test
    void logSoftmaxAndArgmaxMatchTheirDefinitions() {
        float[] lp = LogitMath.logSoftmax(new float[] {0f, (float) Math.log(3)});
        assertEquals(Math.log(0.25), lp[0], 1e-6);
        assertEquals(Math.log(0.75), lp[1], 1e-6);
        assertEquals(1, LogitMath.argmax(new float[] {1f, 4f, 4f}), "first of equal maxima");
        assertEquals(3f, LogitMath.kthLargest(new float[] {1f, 5f, 3f, 3f, 0f}, 3));
        assertEquals(5f, LogitMath.kthLargest(new float[] {1f, 5f, 3f, 3f, 0f}, 1));
    }

    @Test
    void samplerNeverDrawsBannedTokensAndFollowsTheDistribution() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] s = {NEG, 0f, (float) Math.log(3), NEG};
        int[] counts = new int[4];
        for (int i = 0; i < 20000; i++) {
            counts[Sampler.sample(s, rng)]++;
        }
        assertEquals(0, counts[0] + counts[3]);
        assertEquals(0.75, counts[2] / 20000.0, 0.02);
    }

    @Test
    void rowRandomDependsOnSeedPromptAndDrawOnly() {
        int[] p = {2, 10, 11};
        assertEquals(Sampler.rowRandom(5, p, 0).nextLong(), Sampler.rowRandom(5, p.clone(), 0).nextLong());
        long a = Sampler.rowRandom(5, p, 0).nextLong();
        org.junit.jupiter.api.Assertions.assertNotEquals(a, Sampler.rowRandom(6, p, 0).nextLong());
        org.junit.jupiter.api.Assertions.assertNotEquals(a, Sampler.rowRandom(5, p, 1).nextLong());
        org.junit.jupiter.api.Assertions.assertNotEquals(a, Sampler.rowRandom(5, new int[] {2, 10, 12}, 0).nextLong());
    }
}
