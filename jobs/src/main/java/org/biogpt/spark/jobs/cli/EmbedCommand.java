package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.EmbedTask;
import org.biogpt.spark.core.task.Embedding;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import picocli.CommandLine.Command;

/** {@code embed}: pooled last hidden states (mean over real tokens, and the last real token). */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Text embeddings from the final hidden states: {\"id\", \"mean\": [...], \"last\": [...]}.")
public final class EmbedCommand extends ModelJsonlCommand<Embedding> {

    @Override
    String name() {
        return "embed";
    }

    @Override
    ModelTask<Embedding> task(BioGptTokenizer tokenizer) {
        return new EmbedTask();
    }

    @Override
    void render(ObjectNode n, TextInput input, Embedding e, BioGptTokenizer tokenizer) {
        putFloats(n.putArray("mean"), e.mean());
        putFloats(n.putArray("last"), e.last());
    }
}
