package org.biogpt.spark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelScoresTest {
    private static final List<String> YES_NO_MAYBE = List.of("yes", "no", "maybe");

    @Test
    void macroF1AveragesOverTheLabelSetAndAGarbagePredictionIsNoClassOfItsOwn() {
        List<String> gold = List.of("yes", "no", "maybe", "yes");
        List<String> predicted = List.of("yes", "the answer is unclear", "maybe", "no");
        // by hand: yes tp 1 fp 0 fn 1 -> 2/3; no tp 0 fp 1 fn 1 -> 0; maybe tp 1 -> 1; mean (2/3 + 0 + 1) / 3 = 5/9
        assertEquals(5.0 / 9, LabelScores.macroF1(gold, predicted, YES_NO_MAYBE), 1e-12);
        assertEquals(1, LabelScores.outside(predicted, YES_NO_MAYBE));
    }

    @Test
    void manyDistinctGarbageStringsDoNotDiluteTheMacroF1() {
        List<String> gold = List.of("yes", "yes", "no", "maybe", "yes", "no");
        List<String> predicted = List.of("yes", "junk 1", "no", "junk 2", "yes", "junk 3");
        // yes tp 2 fn 1 -> 4/5; no tp 1 fn 1 -> 2/3; maybe fn 1 -> 0; (4/5 + 2/3) / 3 = 22/45
        assertEquals(22.0 / 45, LabelScores.macroF1(gold, predicted, YES_NO_MAYBE), 1e-12);
        assertEquals(3, LabelScores.outside(predicted, YES_NO_MAYBE));
    }

    @Test
    void macroF1WithoutALabelSetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LabelScores.macroF1(List.of("yes"), List.of("yes"), List.of()));
    }
}
