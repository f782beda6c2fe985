package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.Encoding;

/** Tokenization only: the encodings the runner already made (after the length policy). */
public final class TokenizeTask implements ModelTask<Encoding> {
    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public List<Encoding> run(BioGptModel model, List<TextInput> batch) {
        List<Encoding> out = new ArrayList<>(batch.size());
        batch.forEach(b -> out.add(b.encoding()));
        return out;
    }
}
