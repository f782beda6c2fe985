package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;

/**
 * Token classification, then core's {@link EntitySpanDecoder} (Hugging Face pipeline aggregation:
 * none, simple, first, average, max) into character spans of the original text.
 */
public final class EntityTask implements ModelTask<TokenClassification> {
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
    public List<TokenClassification> run(BioGptModel model, List<TextInput> batch) {
        float[][][] logits = model.classifyTokens(Batches.rightPadded(model, batch));
        Map<Integer, String> id2label = model.config().id2label();
        EntitySpanDecoder decoder = new EntitySpanDecoder(id2label);
        List<TokenClassification> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            TextInput row = batch.get(i);
            int n = row.length(); // right padding: the real tokens come first
            float[][] rowLogits = logits[i].length == n ? logits[i] : Arrays.copyOf(logits[i], n);
            List<String> labels = new ArrayList<>(n);
            for (float[] token : rowLogits) {
                labels.add(Classification.name(id2label, LogitMath.argmax(token)));
            }
            List<EntitySpan> spans = row.encoding() == null ? null
                    : decoder.decode(row.text(), row.encoding(), rowLogits, strategy);
            out.add(new TokenClassification(rowLogits, List.copyOf(labels), spans));
        }
        return out;
    }
}
