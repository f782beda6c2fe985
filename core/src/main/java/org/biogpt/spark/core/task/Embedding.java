package org.biogpt.spark.core.task;

import java.io.Serializable;

/**
 * A document's vectors from last_hidden_state.
 *
 * @param mean the mean over the real tokens
 * @param last the state at the last real token (what a causal model has read the whole text at)
 */
public record Embedding(float[] mean, float[] last) implements Serializable {
    public float[] pooled(Pooling pooling) {
        return pooling == Pooling.MEAN ? mean : last;
    }
}
