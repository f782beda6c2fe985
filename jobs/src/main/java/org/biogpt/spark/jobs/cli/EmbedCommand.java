package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.PooledEmbeddings;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;

/** {@code embed}: pooled last hidden states (mean over real tokens, and the last real token). */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Text embeddings from the final hidden states: {\"id\", \"mean\": [...], \"last\": [...]}.")
public final class EmbedCommand extends ModelJsonlCommand {

    @Override
    String name() {
        return "embed";
    }

    @Override
    List<ObjectNode> process(BioGptModel model, List<long[]> rows) {
        PooledEmbeddings e = model.embed(Batch.rightPadded(rows, model.config().padTokenId()));
        List<ObjectNode> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            ObjectNode n = JsonLines.MAPPER.createObjectNode();
            putFloats(n.putArray("mean"), e.mean()[r]);
            putFloats(n.putArray("last"), e.last()[r]);
            out.add(n);
        }
        return out;
    }
}
