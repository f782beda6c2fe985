package org.biogpt.spark.udfs.tasks;

import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.PooledEmbeddings;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.TextInput;

/** One vector per document from last_hidden_state, mean- or last-token-pooled. */
public final class EmbedTask implements ModelTask<float[]> {
    private final Pooling pooling;

    public EmbedTask(Pooling pooling) {
        this.pooling = pooling;
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<float[]> run(BioGptModel model, List<TextInput> batch) {
        PooledEmbeddings e = model.embed(Batches.rightPadded(model, batch));
        return Arrays.asList(pooling == Pooling.MEAN ? e.mean() : e.last());
    }
}
