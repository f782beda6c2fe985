package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hugging Face BeamHypotheses arithmetic on hand-worked numbers. */
class BeamHypothesesTest {

    private static TokenHistory h(int... generated) {
        TokenHistory t = new TokenHistory(new int[] {2});
        for (int g : generated) {
            t.append(g, 0f);
        }
        return t;
    }

    @Test
    void scoreIsSumOverGeneratedLengthToThePenalty() {
        BeamHypotheses b = new BeamHypotheses(2, 2.0, EarlyStopping.FALSE, 10);
        b.add(h(5, 6), -8f, 2, StopReason.EOS);
        assertEquals(-2.0, b.best(1).get(0).score(), 1e-12);
    }

    @Test
    void keepsOnlyTheBestNumBeamsHypotheses() {
        BeamHypotheses b = new BeamHypotheses(2, 1.0, EarlyStopping.FALSE, 10);
        b.add(h(1), -3f, 1, StopReason.EOS);
        b.add(h(2), -1f, 1, StopReason.EOS);
        b.add(h(3), -2f, 1, StopReason.EOS);
        b.add(h(4), -5f, 1, StopReason.EOS); // worse than the worst kept: ignored
        List<BeamHypotheses.Hypothesis> best = b.best(2);
        assertEquals(2, b.size());
        assertEquals(-1.0, best.get(0).score());
        assertEquals(-2.0, best.get(1).score());
    }

    @Test
    void earlyStoppingTrueIsDoneOnceNumBeamsAreFinished() {
        BeamHypotheses b = new BeamHypotheses(2, 1.0, EarlyStopping.TRUE, 10);
        b.add(h(1), -30f, 1, StopReason.EOS);
        assertFalse(b.isDone(0f, 1));
        b.add(h(2), -30f, 1, StopReason.EOS);
        assertTrue(b.isDone(0f, 1));
    }

    @Test
    void earlyStoppingFalseComparesTheBestRunningScoreAtTheCurrentLength() {
        BeamHypotheses b = new BeamHypotheses(2, 1.0, EarlyStopping.FALSE, 10);
        b.add(h(1), -4f, 2, StopReason.EOS); // -2
        b.add(h(2), -6f, 2, StopReason.EOS); // -3 worst
        assertFalse(b.isDone(-8f, 3), "-8/3 = -2.67 beats -3");
        assertTrue(b.isDone(-9f, 3), "-9/3 = -3 does not beat -3");
    }

    @Test
    void earlyStoppingNeverUsesTheLongestReachableLengthForPositivePenalty() {
        BeamHypotheses b = new BeamHypotheses(2, 1.0, EarlyStopping.NEVER, 10);
        b.add(h(1), -4f, 2, StopReason.EOS);
        b.add(h(2), -6f, 2, StopReason.EOS); // worst -3
        assertFalse(b.isDone(-25f, 3), "-25/10 = -2.5 still beats -3 (early_stopping=false would stop: -25/3)");
        assertTrue(b.isDone(-30f, 3), "-30/10 = -3");
    }
}
