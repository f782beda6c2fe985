package org.biogpt.spark.core.task;

import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.TokenScores;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;

/** Language-model scores of each row: the last position's logits and each next token's log-probability. */
public final class ScoreTask implements ModelTask<TokenScores> {
    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public List<TokenScores> run(BioGptModel model, List<TextInput> batch) {
        return Arrays.asList(model.score(Batches.rightPadded(model, batch)));
    }
}
