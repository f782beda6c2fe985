package org.biogpt.spark.udfs;

import org.biogpt.spark.udfs.entities.BioSpanDecoder;
import org.biogpt.spark.udfs.entities.EntitySpan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

class BioSpanDecoderTest {
    private static final Map<Integer, String> LABELS = Map.of(0, "O", 1, "B-Chemical", 2, "I-Chemical", 3, "B-Disease",
            4, "I-Disease");
    //                                     0         1         2
    //                                     012345678901234567890123456
    private static final String TEXT = "aspirin treats heart attack";

    /** BOS + one token per word; pieces carry their own char spans. */
    private static Encoding encoding() {
        return new Encoding(new int[] {2, 10, 11, 12, 13}, new String[] {"</s>", "aspirin</w>", "treats</w>",
            "heart</w>", "attack</w>"}, new int[] {0, 0, 8, 15, 21}, new int[] {0, 7, 14, 20, 27});
    }

    /** A logits row whose argmax is {@code label} with probability e^2 / (e^2 + 4). */
    private static float[] peak(int label) {
        float[] row = new float[5];
        row[label] = 2f;
        return row;
    }

    private static final double P = Math.exp(2) / (Math.exp(2) + 4);

    private static void assertSpans(List<EntitySpan> expected, List<EntitySpan> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            EntitySpan e = expected.get(i);
            EntitySpan a = actual.get(i);
            assertEquals(List.of(e.label(), e.start(), e.end(), e.text()), List.of(a.label(), a.start(), a.end(), a.text()));
            assertEquals(e.score(), a.score(), 1e-12);
        }
    }

    @Test
    void beginAndInsideTokensMakeOneSpanPerEntity() {
        float[][] logits = {peak(3), peak(1), peak(0), peak(3), peak(4)};
        assertSpans(List.of(new EntitySpan("Chemical", 0, 7, "aspirin", P),
                new EntitySpan("Disease", 15, 27, "heart attack", P)), BioSpanDecoder.decode(TEXT, encoding(), logits, LABELS));
    }

    @Test
    void insideWithoutBeginOpensASpanAndATypeChangeClosesIt() {
        float[][] logits = {peak(0), peak(2), peak(4), peak(4), peak(1)};
        assertSpans(List.of(new EntitySpan("Chemical", 0, 7, "aspirin", P),
                new EntitySpan("Disease", 8, 20, "treats heart", P),
                new EntitySpan("Chemical", 21, 27, "attack", P)), BioSpanDecoder.decode(TEXT, encoding(), logits, LABELS));
    }

    @Test
    void aNewBeginSplitsAdjacentEntitiesOfOneType() {
        float[][] logits = {peak(0), peak(1), peak(1), peak(0), peak(0)};
        assertEquals(2, BioSpanDecoder.decode(TEXT, encoding(), logits, LABELS).size());
    }

    @Test
    void scoreIsTheMeanProbabilityOfTheChosenLabels() {
        float[][] logits = {peak(0), peak(1), {0f, 0f, 1f, 0f, 0f}, peak(0), peak(0)};
        double p2 = Math.exp(1) / (Math.exp(1) + 4);
        EntitySpan span = BioSpanDecoder.decode(TEXT, encoding(), logits, LABELS).get(0);
        assertEquals("aspirin treats", span.text());
        assertEquals((P + p2) / 2, span.score(), 1e-12);
    }

    @Test
    void allOutsideGivesNoSpans() {
        float[][] logits = {peak(1), peak(0), peak(0), peak(0), peak(0)};
        assertEquals(List.of(), BioSpanDecoder.decode(TEXT, encoding(), logits, LABELS));
    }
}
