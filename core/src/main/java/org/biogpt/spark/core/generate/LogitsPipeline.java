package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.List;

/** The processors and warpers a config asks for, in Hugging Face's order. */
final class LogitsPipeline {
    private final List<LogitsProcessor> steps;

    private LogitsPipeline(List<LogitsProcessor> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Processors (all modes): repetition penalty, no-repeat-ngram, then the eos ban of
     * min_length/min_new_tokens; for sampling the warpers follow: temperature, top-k, top-p.
     */
    static LogitsPipeline forConfig(GenerationConfig c, int paddedWidth) {
        List<LogitsProcessor> steps = new ArrayList<>();
        // Penalty and temperature are float32, as the scores they divide.
        if (c.repetitionPenalty() != 1.0) {
            steps.add(new RepetitionPenaltyProcessor((float) c.repetitionPenalty()));
        }
        if (c.noRepeatNgramSize() > 0) {
            steps.add(new NoRepeatNGramProcessor(c.noRepeatNgramSize()));
        }
        int minNew = c.minNewTokenCount(paddedWidth);
        if (minNew > 0) {
            steps.add(new MinNewTokensProcessor(minNew, c.eosTokenIds()));
        }
        if (c.doSample()) {
            if (c.temperature() != 1.0) {
                steps.add(new TemperatureWarper((float) c.temperature()));
            }
            if (c.topK() != 0) {
                steps.add(new TopKWarper(c.topK()));
            }
            if (c.topP() < 1.0) {
                steps.add(new TopPWarper(c.topP()));
            }
        }
        return new LogitsPipeline(steps);
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    void apply(float[] scores, TokenHistory history) {
        for (LogitsProcessor p : steps) {
            p.apply(scores, history);
        }
    }
}
