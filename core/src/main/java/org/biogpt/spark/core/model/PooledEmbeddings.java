package org.biogpt.spark.core.model;

/**
 * One vector per row from last_hidden_state ([batch][hidden]).
 *
 * @param mean mean over the row's real tokens (attention mask 1)
 * @param last the row's last real token
 */
public record PooledEmbeddings(float[][] mean, float[][] last) {
}
