package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Calibrated label probabilities from scoring, not generating: each label's completion (e.g.
 * "the answer to the question given the context is yes.") is scored as the sum of its tokens'
 * log-probabilities after the prompt, and a softmax over the labels' sums gives probabilities
 * that add to one. The shared words before the label cancel in that softmax, so only the tokens
 * where the completions differ matter. The model layer supplies the per-token log-probabilities
 * (one forward pass over the prompt with the completions batched or tree-packed);
 * {@link #logProbabilities} turns its logits into them.
 */
public final class LabelScorer {
    private final List<String> labels;
    private final List<int[]> completionIds;

    /** @param completionIds for each label, the ids of its completion (continuing the prompt) */
    public LabelScorer(List<String> labels, List<int[]> completionIds) {
        if (labels.size() != completionIds.size() || labels.isEmpty()) {
            throw new IllegalArgumentException("need one completion per label, and at least one label");
        }
        this.labels = List.copyOf(labels);
        this.completionIds = completionIds.stream().map(int[]::clone).toList();
    }

    /**
     * The scorer for a label task: each label's completion is the task's target for it
     * ({@link TargetBuilder#label}), tokenized without the leading {@code </s>}.
     */
    public static LabelScorer forTask(TaskDefinition task, BioGptTokenizer tokenizer) {
        List<int[]> ids = new ArrayList<>();
        for (String label : task.labels()) {
            int[] withBos = tokenizer.encodeIds(TargetBuilder.label(task, label));
            int[] completion = new int[withBos.length - 1];
            System.arraycopy(withBos, 1, completion, 0, completion.length);
            ids.add(completion);
        }
        return new LabelScorer(task.labels(), ids);
    }

    public List<String> labels() {
        return labels;
    }

    /** The ids of label {@code i}'s completion, to append to the prompt for scoring. */
    public int[] completionIds(int i) {
        return completionIds.get(i).clone();
    }

    /**
     * Log-probabilities of a completion's tokens from the logits at the positions that predict them:
     * {@code logits[j]} is the next-token distribution before completion token {@code j}.
     */
    public static float[] logProbabilities(float[][] logits, int[] completion) {
        if (logits.length != completion.length) {
            throw new IllegalArgumentException("need one logits row per completion token: "
                    + logits.length + " rows, " + completion.length + " tokens");
        }
        float[] out = new float[completion.length];
        for (int j = 0; j < completion.length; j++) {
            out[j] = (float) (logits[j][completion[j]] - LogitMath.logSumExp(logits[j]));
        }
        return out;
    }

    /** Probabilities of the labels, given each completion's per-token log-probabilities (label order). */
    public LabelProbabilities score(List<float[]> tokenLogProbs) {
        if (tokenLogProbs.size() != labels.size()) {
            throw new IllegalArgumentException("expected log-probabilities for " + labels.size() + " labels, got " + tokenLogProbs.size());
        }
        double[] sums = new double[labels.size()];
        for (int i = 0; i < sums.length; i++) {
            float[] lp = tokenLogProbs.get(i);
            if (lp.length != completionIds.get(i).length) {
                throw new IllegalArgumentException("label '" + labels.get(i) + "': " + lp.length
                        + " log-probabilities for " + completionIds.get(i).length + " completion tokens");
            }
            for (float v : lp) {
                sums[i] += v;
            }
        }
        return new LabelProbabilities(labels, sums, LogitMath.softmax(sums));
    }

    /** Labels with their summed log-likelihoods and normalised probabilities. */
    public record LabelProbabilities(List<String> labels, double[] logLikelihoods, double[] probabilities) {
        /** The most probable label (the first on ties). */
        public String best() {
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                if (probabilities[i] > probabilities[best]) {
                    best = i;
                }
            }
            return labels.get(best);
        }

        public double probability(String label) {
            int i = labels.indexOf(label);
            if (i < 0) {
                throw new IllegalArgumentException("no label " + label);
            }
            return probabilities[i];
        }

        public Map<String, Double> asMap() {
            java.util.LinkedHashMap<String, Double> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                map.put(labels.get(i), probabilities[i]);
            }
            return map;
        }
    }
}
