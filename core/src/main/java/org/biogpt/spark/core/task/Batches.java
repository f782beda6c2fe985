package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.run.TextInput;

/** Model batches from rows: right-padded with the checkpoint's pad id, as HF tokenizers pad. */
final class Batches {
    private Batches() {
    }

    static Batch rightPadded(BioGptModel model, List<TextInput> rows) {
        List<long[]> ids = new ArrayList<>(rows.size());
        rows.forEach(r -> ids.add(r.ids()));
        return Batch.rightPadded(ids, model.config().padTokenId());
    }
}
