package org.biogpt.spark.core.model;

/**
 * Language-model scores of one row's real tokens.
 *
 * @param lastLogits         logits after the row's last real token, [vocab]
 * @param nextTokenLogprobs  log_softmax(logits[t])[ids[t+1]] for t = 0..n-2 over the real tokens
 */
public record TokenScores(float[] lastLogits, float[] nextTokenLogprobs) {
}
