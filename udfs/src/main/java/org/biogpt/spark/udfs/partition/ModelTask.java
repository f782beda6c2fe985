package org.biogpt.spark.udfs.partition;

import java.io.Serializable;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;

/**
 * What a stage does with one batch of rows: a thin call into {@code core}. The partition machinery
 * ({@link BatchRunner}) does everything else — validation, tokenization, length policy, batching by
 * token budget, order, errors, metrics — so a new stage (relations, QA, generation) is one of these.
 *
 * @param <R> the per-row result
 */
public interface ModelTask<R> extends Serializable {
    /** False for tasks that need only the tokenizer: the weights are then never loaded. */
    boolean needsModel();

    /**
     * Results for a batch, in the batch's order.
     *
     * @param model the cached model, or null when {@link #needsModel()} is false
     * @param batch rows sorted by token length, every one within the model's length limit
     */
    List<R> run(BioGptModel model, List<TextInput> batch);
}
