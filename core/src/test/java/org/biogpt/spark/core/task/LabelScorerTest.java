package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;

class LabelScorerTest {
    @Test
    void probabilitiesAreTheSoftmaxOfSummedTokenLogProbs() {
        LabelScorer scorer = new LabelScorer(List.of("yes", "no", "maybe"),
                List.of(new int[] {1, 2}, new int[] {3, 2}, new int[] {4, 5, 2}));
        var p = scorer.score(List.of(new float[] {-1f, -0.5f}, new float[] {-2f, -0.5f}, new float[] {-1.5f, -1f, -0.5f}));
        // sums: yes -1.5, no -2.5, maybe -3.0; p_i = exp(s_i) / (e^-1.5 + e^-2.5 + e^-3)
        double z = Math.exp(-1.5) + Math.exp(-2.5) + Math.exp(-3.0);
        assertArrayEquals(new double[] {-1.5, -2.5, -3.0}, p.logLikelihoods(), 1e-6);
        assertEquals(Math.exp(-1.5) / z, p.probability("yes"), 1e-6); // 0.62853
        assertEquals(Math.exp(-2.5) / z, p.probability("no"), 1e-6);  // 0.23122
        assertEquals(Math.exp(-3.0) / z, p.probability("maybe"), 1e-6); // 0.14025
        assertEquals("yes", p.best());
    }

    @Test
    void logProbabilitiesComeFromLogSoftmaxOfEachRow() {
        // row [0, ln 3]: p(token 1) = 3/4; row [ln 2, 0, 0]: p(token 0) = 2/4
        float[] lp = LabelScorer.logProbabilities(new float[][] {{0f, (float) Math.log(3)}, {(float) Math.log(2), 0f, 0f}}, new int[] {1, 0});
        assertEquals(Math.log(0.75), lp[0], 1e-6);
        assertEquals(Math.log(0.5), lp[1], 1e-6);
    }

    @Test
    void pubmedQaCompletionsAreTheTargetsTokenizedWithoutBos() {
        BioGptTokenizer tok = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        LabelScorer scorer = LabelScorer.forTask(TaskDefinitions.builtIn("pubmedqa"), tok);
        // "the answer to the question given the context is yes." -> 9 words + "yes" + "." = 11 pieces
        int[] yes = scorer.completionIds(0);
        assertEquals(11, yes.length);
        assertEquals(tok.tokenToId("yes</w>"), yes[9]);
        assertEquals(tok.tokenToId(".</w>"), yes[10]);
        // "maybe" is two pieces in this vocabulary: may + be</w>
        assertEquals(12, scorer.completionIds(2).length);
        assertThrows(IllegalArgumentException.class, () -> scorer.score(List.of(new float[11], new float[11], new float[11])));
    }
}
