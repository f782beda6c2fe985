package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.PooledEmbeddings;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;

/** Document vectors from last_hidden_state: mean- and last-token-pooled, one forward pass for both. */
public final class EmbedTask implements ModelTask<Embedding> {
    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<Embedding> run(BioGptModel model, List<TextInput> batch) {
        PooledEmbeddings e = model.embed(Batches.rightPadded(model, batch));
        List<Embedding> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new Embedding(e.mean()[i], e.last()[i]));
        }
        return out;
    }
}
