package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.EntityTask;
import org.biogpt.spark.core.task.TokenClassification;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import picocli.CommandLine.Command;

/** {@code classify-tokens}: token-classification logits and the argmax label at every position. */
@Command(name = "classify-tokens", mixinStandardHelpOptions = true,
        description = "Token classification (BioGptForTokenClassification): {\"id\", \"input_ids\", \"logits\": [[...]], \"labels\": [...]}.")
public final class ClassifyTokensCommand extends ModelJsonlCommand<TokenClassification> {

    @Override
    String name() {
        return "classify-tokens";
    }

    @Override
    ModelTask<TokenClassification> task(BioGptTokenizer tokenizer) {
        return new EntityTask();
    }

    @Override
    void render(ObjectNode n, TextInput input, TokenClassification tokens, BioGptTokenizer tokenizer) {
        putIds(n, input.intIds());
        ArrayNode logits = n.putArray("logits");
        for (float[] token : tokens.logits()) {
            putFloats(logits.addArray(), token);
        }
        tokens.labels().forEach(n.putArray("labels")::add);
    }
}
