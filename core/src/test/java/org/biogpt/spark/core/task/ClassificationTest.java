package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    private static final Map<Integer, String> LABELS = Map.of(0, "yes", 1, "no", 2, "maybe");

    @Test
    void singleLabelIsTheSoftmaxArgmax() {
        // logits ln 1, ln 3, ln 4 -> probabilities 1/8, 3/8, 4/8
        var r = Classification.of(new float[] {0f, (float) Math.log(3), (float) Math.log(4)}, LABELS, false);
        assertEquals("maybe", r.label());
        assertEquals(List.of("maybe"), r.labels());
        assertEquals(0.125, r.probabilities().get("yes"), 1e-6);
        assertEquals(0.375, r.probabilities().get("no"), 1e-6);
        assertEquals(0.5, r.probabilities().get("maybe"), 1e-6);
    }

    @Test
    void multiLabelUsesIndependentSigmoidsAndKeepsThoseAtLeastHalf() {
        // sigmoid(ln 3) = 3/4, sigmoid(0) = 1/2, sigmoid(-ln 3) = 1/4
        var r = Classification.of(new float[] {0f, (float) Math.log(3), (float) -Math.log(3)}, LABELS, true);
        assertEquals(List.of("no", "yes"), r.labels());
        assertEquals(0.75, r.probabilities().get("no"), 1e-6);
        assertEquals(0.5, r.probabilities().get("yes"), 1e-6);
        assertEquals(0.25, r.probabilities().get("maybe"), 1e-6);
    }

    @Test
    void labelsWithoutANameAreCalledLikeHuggingFaceCallsThem() {
        var r = Classification.of(new float[] {2f, 1f}, Map.of(1, "other"), false);
        assertEquals("LABEL_0", r.label());
        assertEquals(List.of("LABEL_0", "other"), List.copyOf(r.probabilities().keySet()));
    }
}
