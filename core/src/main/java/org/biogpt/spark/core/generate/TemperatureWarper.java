package org.biogpt.spark.core.generate;

/** Divides the scores by the temperature (sampling only). */
record TemperatureWarper(float temperature) implements LogitsProcessor {
    @Override
    public void apply(float[] scores, TokenHistory history) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= temperature;
        }
    }
}
