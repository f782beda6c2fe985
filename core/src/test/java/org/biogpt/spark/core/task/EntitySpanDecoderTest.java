package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

/**
 * Labels of the token-classification fixture: 0 O, 1 B-Chemical, 2 I-Chemical, 3 B-Disease, 4 I-Disease.
 * Text pieces: Fam oti dine</w> @-@</w> associated</w> delirium</w> in</w> patients</w> .</w>
 * Logits are log-probabilities, so the pipeline's softmax gives back exactly the rows below.
 */
class EntitySpanDecoderTest {
    private static final String TEXT = "Famotidine-associated delirium in patients.";
    private static final double[][] PROBS = {
            {0, 0, 0, 0, 0},                    // </s>, skipped
            {0.1, 0.7, 0.1, 0.05, 0.05},        // Fam       B-Chemical 0.7
            {0.5, 0.05, 0.4, 0.025, 0.025},     // oti       O 0.5
            {0.05, 0.02, 0.9, 0.02, 0.01},      // dine</w>  I-Chemical 0.9
            {0.8, 0.05, 0.1, 0.025, 0.025},     // @-@       O
            {0.9, 0.025, 0.025, 0.025, 0.025},  // associated O
            {0.1, 0.1, 0.1, 0.6, 0.1},          // delirium  B-Disease 0.6
            {0.9, 0.025, 0.025, 0.025, 0.025},  // in        O
            {0.3, 0.05, 0.05, 0.05, 0.55},      // patients  I-Disease 0.55
            {0.9, 0.025, 0.025, 0.025, 0.025},  // .         O
    };

    private List<EntitySpan> decode(AggregationStrategy strategy) {
        var dir = Fixtures.model("token-classification");
        Encoding enc = BioGptTokenizer.load(dir).encode(TEXT);
        assertEquals(PROBS.length, enc.length());
        float[][] logits = new float[PROBS.length][5];
        for (int i = 0; i < PROBS.length; i++) {
            for (int k = 0; k < 5; k++) {
                logits[i][k] = i == 0 ? 0f : (float) Math.log(PROBS[i][k]);
            }
        }
        return new EntitySpanDecoder(BioGptConfig.load(dir).id2label()).decode(TEXT, enc, logits, strategy);
    }

    private static void assertSpans(List<EntitySpan> expected, List<EntitySpan> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            EntitySpan e = expected.get(i);
            EntitySpan a = actual.get(i);
            assertEquals(e.label(), a.label());
            assertEquals(e.start(), a.start());
            assertEquals(e.end(), a.end());
            assertEquals(e.text(), a.text());
            assertEquals(e.score(), a.score(), 1e-6);
        }
    }

    @Test
    void noneGivesEveryNonOTokenWithItsFullLabel() {
        assertSpans(List.of(new EntitySpan("B-Chemical", 0, 3, "Fam", 0.7), new EntitySpan("I-Chemical", 6, 10, "dine", 0.9),
                new EntitySpan("B-Disease", 22, 30, "delirium", 0.6), new EntitySpan("I-Disease", 34, 42, "patients", 0.55)),
                decode(AggregationStrategy.NONE));
    }

    @Test
    void simpleGroupsTokensSoTheOPieceSplitsTheWord() {
        // Fam | oti(O) | dine: the O token ends the first group and I-Chemical after O starts a new one;
        // patients (I-Disease) after "in" (O) is its own group too
        assertSpans(List.of(new EntitySpan("Chemical", 0, 3, "Fam", 0.7), new EntitySpan("Chemical", 6, 10, "dine", 0.9),
                new EntitySpan("Disease", 22, 30, "delirium", 0.6), new EntitySpan("Disease", 34, 42, "patients", 0.55)),
                decode(AggregationStrategy.SIMPLE));
    }

    @Test
    void firstLabelsTheWholeWordByItsFirstPiece() {
        assertSpans(List.of(new EntitySpan("Chemical", 0, 10, "Famotidine", 0.7),
                new EntitySpan("Disease", 22, 30, "delirium", 0.6), new EntitySpan("Disease", 34, 42, "patients", 0.55)),
                decode(AggregationStrategy.FIRST));
    }

    @Test
    void maxLabelsTheWordByItsMostConfidentPiece() {
        // pieces' top scores 0.7, 0.5, 0.9 -> dine's row: I-Chemical 0.9
        assertSpans(List.of(new EntitySpan("Chemical", 0, 10, "Famotidine", 0.9),
                new EntitySpan("Disease", 22, 30, "delirium", 0.6), new EntitySpan("Disease", 34, 42, "patients", 0.55)),
                decode(AggregationStrategy.MAX));
    }

    @Test
    void averageLabelsTheWordByItsMeanProbabilities() {
        // mean over Fam, oti, dine: O 0.65/3, B-Chem 0.77/3, I-Chem 1.4/3, B-Dis 0.095/3, I-Dis 0.085/3 -> I-Chemical 1.4/3
        assertSpans(List.of(new EntitySpan("Chemical", 0, 10, "Famotidine", 1.4 / 3),
                new EntitySpan("Disease", 22, 30, "delirium", 0.6), new EntitySpan("Disease", 34, 42, "patients", 0.55)),
                decode(AggregationStrategy.AVERAGE));
    }
}
