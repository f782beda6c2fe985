package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;

/** {@code classify}: sequence classification on the last real token. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Sequence classification (BioGptForSequenceClassification): {\"id\", \"input_ids\", \"logits\", \"label\", \"probabilities\"}.")
public final class ClassifyCommand extends ModelJsonlCommand {

    @Override
    String name() {
        return "classify";
    }

    @Override
    List<ObjectNode> process(BioGptModel model, List<long[]> rows) {
        BioGptConfig config = model.config();
        float[][] logits = model.classifySequences(Batch.rightPadded(rows, config.padTokenId()));
        List<ObjectNode> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            ObjectNode n = JsonLines.MAPPER.createObjectNode();
            putIds(n, rows.get(r));
            putFloats(n.putArray("logits"), logits[r]);
            n.put("label", ClassifyTokensCommand.label(config, LogitMath.argmax(logits[r])));
            float[] p = LogitMath.softmax(logits[r]);
            ObjectNode probs = n.putObject("probabilities");
            for (int i = 0; i < p.length; i++) {
                probs.put(ClassifyTokensCommand.label(config, i), p[i]);
            }
            out.add(n);
        }
        return out;
    }
}
