package org.biogpt.spark.core.model;

/**
 * Per-position vectors of a batch ([batch][seq][hidden], pad columns included: zeros there, as
 * no padding is computed).
 *
 * @param last       last_hidden_state: the output of the final LayerNorm
 * @param embeddings hidden_states[0]: token embedding × scale + position embedding, before layer 0;
 *                   null unless asked for
 */
public record HiddenStates(float[][][] last, float[][][] embeddings) {
}
