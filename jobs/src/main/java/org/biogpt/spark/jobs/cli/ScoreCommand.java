package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.TokenScores;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.ScoreTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;

/** {@code score}: language-model scores of each text (last-position logits, next-token log-probs). */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Language-model scores per text: {\"id\", \"input_ids\", \"last_logits\": {\"top20_ids\", \"top20_values\",",
            "\"argmax\", \"logsumexp\"}, \"next_token_logprobs\": [...]}; mean_next_token_nll too."})
public final class ScoreCommand extends ModelJsonlCommand<TokenScores> {
    private static final int TOP = 20;

    @Override
    String name() {
        return "score";
    }

    @Override
    ModelTask<TokenScores> task(BioGptTokenizer tokenizer) {
        return new ScoreTask();
    }

    @Override
    void render(ObjectNode n, TextInput input, TokenScores scores, BioGptTokenizer tokenizer) {
        putIds(n, input.intIds());
        n.set("last_logits", summary(scores.lastLogits()));
        float[] next = scores.nextTokenLogprobs();
        putFloats(n.putArray("next_token_logprobs"), next);
        double nll = 0;
        for (float v : next) {
            nll -= v;
        }
        if (next.length > 0) {
            n.put("mean_next_token_nll", nll / next.length);
        }
    }

    /** Top-20 ids and values (descending), argmax and logsumexp (accumulated in double). */
    static ObjectNode summary(float[] logits) {
        int[] top = LogitMath.topK(logits, TOP);
        ObjectNode n = JsonLines.MAPPER.createObjectNode();
        ArrayNode ids = n.putArray("top20_ids");
        ArrayNode values = n.putArray("top20_values");
        for (int i : top) {
            ids.add(i);
            values.add(logits[i]);
        }
        n.put("argmax", top[0]);
        n.put("logsumexp", LogitMath.logSumExp(logits));
        return n;
    }
}
