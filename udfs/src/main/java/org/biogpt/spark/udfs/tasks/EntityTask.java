package org.biogpt.spark.udfs.tasks;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.udfs.entities.BioSpanDecoder;
import org.biogpt.spark.udfs.entities.EntitySpan;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.TextInput;

/** Token classification, then BIO decoding into character spans of the original text. */
public final class EntityTask implements ModelTask<List<EntitySpan>> {
    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<List<EntitySpan>> run(BioGptModel model, List<TextInput> batch) {
        float[][][] logits = model.classifyTokens(Batches.rightPadded(model, batch));
        List<List<EntitySpan>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TextInput row = batch.get(i);
            out.add(BioSpanDecoder.decode(row.text(), row.encoding(), logits[i], model.config().id2label()));
        }
        return out;
    }
}
