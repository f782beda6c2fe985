package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;

/** {@code classify-tokens}: token-classification logits and the argmax label at every position. */
@Command(name = "classify-tokens", mixinStandardHelpOptions = true,
        description = "Token classification (BioGptForTokenClassification): {\"id\", \"input_ids\", \"logits\": [[...]], \"labels\": [...]}.")
public final class ClassifyTokensCommand extends ModelJsonlCommand {

    @Override
    String name() {
        return "classify-tokens";
    }

    @Override
    List<ObjectNode> process(BioGptModel model, List<long[]> rows) {
        BioGptConfig config = model.config();
        float[][][] logits = model.classifyTokens(Batch.rightPadded(rows, config.padTokenId()));
        List<ObjectNode> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            ObjectNode n = JsonLines.MAPPER.createObjectNode();
            putIds(n, rows.get(r));
            ArrayNode l = n.putArray("logits");
            ArrayNode labels = n.putArray("labels");
            for (int t = 0; t < rows.get(r).length; t++) { // right padding: real tokens come first
                putFloats(l.addArray(), logits[r][t]);
                labels.add(label(config, LogitMath.argmax(logits[r][t])));
            }
            out.add(n);
        }
        return out;
    }

    static String label(BioGptConfig config, int index) {
        return config.id2label().getOrDefault(index, "LABEL_" + index);
    }
}
