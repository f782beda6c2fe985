package org.biogpt.spark.udfs.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.TextInput;

/** Sequence classification (pooled at each row's last real token) → label and probabilities. */
public final class ClassifyTask implements ModelTask<Classification> {
    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<Classification> run(BioGptModel model, List<TextInput> batch) {
        float[][] logits = model.classifySequences(Batches.rightPadded(model, batch));
        Map<Integer, String> labels = model.config().id2label();
        List<Classification> out = new ArrayList<>(batch.size());
        for (float[] row : logits) {
            out.add(classification(row, labels));
        }
        return out;
    }

    /** Label and probabilities from one row of logits. */
    public static Classification classification(float[] logits, Map<Integer, String> id2label) {
        double[] p = Softmax.of(logits);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            probabilities.put(id2label.getOrDefault(i, "LABEL_" + i), p[i]);
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return new Classification(id2label.getOrDefault(best, "LABEL_" + best), probabilities);
    }
}
