package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.Map;

/**
 * A PubMedQA-style answer.
 *
 * @param label         the answer: the most probable label, or with generation the label read from the text
 *                      ("failed" when the text has no answer phrase, as the original writes it)
 * @param probabilities each label's probability from scoring its completion after the prompt (sums to 1)
 * @param text          the generated text when generation is on, else null
 * @param generatedTokens how many tokens were generated (an ending eos included); 0 when generation is off
 */
public record Answer(String label, Map<String, Double> probabilities, String text, int generatedTokens)
        implements Serializable {
}
