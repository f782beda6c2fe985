package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.ClassifyTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import picocli.CommandLine.Command;

/** {@code classify}: sequence classification on the last real token. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Sequence classification (BioGptForSequenceClassification): {\"id\", \"input_ids\", \"logits\", \"label\",",
            "\"probabilities\"}; checkpoints with problem_type multi_label_classification add \"labels\" (probability >= 0.5)."})
public final class ClassifyCommand extends ModelJsonlCommand<Classification> {

    @Override
    String name() {
        return "classify";
    }

    @Override
    ModelTask<Classification> task(BioGptTokenizer tokenizer) {
        return new ClassifyTask();
    }

    @Override
    void render(ObjectNode n, TextInput input, Classification c, BioGptTokenizer tokenizer) {
        putIds(n, input.intIds());
        putFloats(n.putArray("logits"), c.logits());
        n.put("label", c.label());
        ObjectNode probs = n.putObject("probabilities");
        for (Map.Entry<String, Double> p : c.probabilities().entrySet()) {
            probs.put(p.getKey(), p.getValue().floatValue());
        }
        if (c.multiLabel()) {
            c.labels().forEach(n.putArray("labels")::add);
        }
    }
}
