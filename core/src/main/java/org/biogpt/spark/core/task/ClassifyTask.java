package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;

/**
 * Sequence classification (pooled at each row's last real token) → {@link Classification}: softmax,
 * or sigmoids when the checkpoint's {@code problem_type} is multi-label.
 */
public final class ClassifyTask implements ModelTask<Classification> {
    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<Classification> run(BioGptModel model, List<TextInput> batch) {
        float[][] logits = model.classifySequences(Batches.rightPadded(model, batch));
        BioGptConfig config = model.config();
        List<Classification> out = new ArrayList<>(batch.size());
        for (float[] row : logits) {
            out.add(Classification.of(row, config.id2label(), config.multiLabel()));
        }
        return out;
    }
}
