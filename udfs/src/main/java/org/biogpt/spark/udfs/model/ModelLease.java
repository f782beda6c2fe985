package org.biogpt.spark.udfs.model;

import org.biogpt.spark.core.model.BioGptModel;

/**
 * A model from {@link ModelCache}, and whether this very call paid for loading it (so load time is
 * counted once, by the task that loaded).
 */
public record ModelLease(BioGptModel model, boolean loadedByThisCall, long loadMillis) {
}
