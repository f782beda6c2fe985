package org.biogpt.spark.udfs.tasks;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.task.AggregationStrategy;
import org.biogpt.spark.core.task.EntitySpan;
import org.biogpt.spark.core.task.EntitySpanDecoder;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.TextInput;

/**
 * Token classification, then core's {@link EntitySpanDecoder} (Hugging Face pipeline aggregation:
 * none, simple, first, average, max) into character spans of the original text.
 */
public final class EntityTask implements ModelTask<List<EntitySpan>> {
    private final AggregationStrategy strategy;

    public EntityTask(AggregationStrategy strategy) {
        this.strategy = strategy;
    }

    /** The pipeline's default for labelled spans: simple. */
    public EntityTask() {
        this(AggregationStrategy.SIMPLE);
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<List<EntitySpan>> run(BioGptModel model, List<TextInput> batch) {
        float[][][] logits = model.classifyTokens(Batches.rightPadded(model, batch));
        EntitySpanDecoder decoder = new EntitySpanDecoder(model.config().id2label());
        List<List<EntitySpan>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TextInput row = batch.get(i);
            int n = row.encoding().length();
            float[][] rowLogits = logits[i].length == n ? logits[i] : java.util.Arrays.copyOf(logits[i], n);
            out.add(decoder.decode(row.text(), row.encoding(), rowLogits, strategy));
        }
        return out;
    }
}
