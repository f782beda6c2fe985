package org.biogpt.spark.core.generate;

/** Divides the scores by the temperature (sampling only). */
final class TemperatureWarper implements LogitsProcessor {
    private final float temperature;

    TemperatureWarper(double temperature) {
        this.temperature = (float) temperature;
    }

    @Override
    public void apply(float[] scores, TokenHistory history) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= temperature;
        }
    }
}
