package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The best finished hypotheses of one prompt, with Hugging Face's {@code BeamHypotheses}
 * arithmetic (transformers 4.40): score = sum_logprobs / generated_len ** length_penalty, where
 * generated_len counts new tokens only, the eos included.
 */
final class BeamHypotheses {

    record Hypothesis(double score, TokenHistory history, StopReason stop) {
    }

    private final int numBeams;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int maxGenerated;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, EarlyStopping earlyStopping, int maxGenerated) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.maxGenerated = maxGenerated;
    }

    int size() {
        return beams.size();
    }

    /** Keeps the hypothesis if there is room or it beats the worst kept one (which then leaves). */
    void add(TokenHistory history, float sumLogProbs, int generatedLen, StopReason stop) {
        double score = sumLogProbs / Math.pow(generatedLen, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(score, history, stop));
            if (beams.size() > numBeams) {
                int worst = indexOfWorst();
                beams.remove(worst);
                worstScore = beams.get(indexOfWorst()).score();
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /** Lowest score, earliest added on ties (Python's sort of (score, index) pairs). */
    private int indexOfWorst() {
        int worst = -1;
        for (int i = 0; i < beams.size(); i++) {
            if (worst < 0 || beams.get(i).score() < beams.get(worst).score()) {
                worst = i;
            }
        }
        return worst;
    }

    /**
     * Whether no running beam can improve this prompt's list any more.
     *
     * @param bestSumLogProbs the best candidate score of this step (unnormalised)
     * @param generatedLen    new tokens including this step's
     */
    boolean isDone(float bestSumLogProbs, int generatedLen) {
        if (beams.size() < numBeams) {
            return false;
        }
        switch (earlyStopping) {
            case TRUE:
                return true;
            case FALSE:
                return worstScore >= bestSumLogProbs / Math.pow(generatedLen, lengthPenalty);
            default: // NEVER: the best bound reachable at any future length
                int len = lengthPenalty > 0 ? maxGenerated : generatedLen;
                return worstScore >= bestSumLogProbs / Math.pow(len, lengthPenalty);
        }
    }

    /** The n best, best first; on equal scores the later-added first (Python's stable sort + pop). */
    List<Hypothesis> best(int n) {
        List<Hypothesis> sorted = new ArrayList<>(beams);
        sorted.sort(Comparator.comparingDouble(Hypothesis::score)); // stable
        List<Hypothesis> out = new ArrayList<>(n);
        for (int i = sorted.size() - 1; i >= 0 && out.size() < n; i--) {
            out.add(sorted.get(i));
        }
        return out;
    }
}
