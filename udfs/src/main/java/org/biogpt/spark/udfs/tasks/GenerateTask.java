package org.biogpt.spark.udfs.tasks;

import java.util.List;
import java.util.function.Supplier;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.udfs.partition.Limits;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.RowRejected;
import org.biogpt.spark.udfs.partition.TextInput;

/**
 * Free text generation: the prompt text tokenized as Hugging Face does ({@code </s>} first), then
 * core's {@code Generator} with the decoding params. A prompt must leave room for
 * {@code maxNewTokens} in the model's positions; under truncation=truncate its first tokens are kept.
 */
public final class GenerateTask implements ModelTask<Generated> {
    private final Decoding decoding;

    public GenerateTask(Decoding decoding) {
        this.decoding = decoding;
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public TextInput prepare(BioGptTokenizer tokenizer, List<String> fields, Supplier<Limits> limits, LengthPolicy policy) {
        String text = ModelTask.requireText(fields.get(0), "prompt");
        Encoding e;
        try {
            e = tokenizer.encode(text);
        } catch (RuntimeException ex) {
            throw new RowRejected("tokenization failed: " + ex.getMessage());
        }
        int limit = limits.get().promptLimit(decoding.maxNewTokens());
        if (e.length() > limit) {
            if (policy == LengthPolicy.ERROR || limit < 1) {
                throw new RowRejected("prompt has " + e.length() + " tokens, more than the limit of " + limit
                        + " (maxInputTokens / max_position_embeddings less maxNewTokens)"
                        + (policy == LengthPolicy.ERROR ? "; set truncation=truncate to keep the first " + limit : ""));
            }
            e = e.truncate(limit);
        }
        return new TextInput(text, e);
    }

    @Override
    public List<Generated> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        return Generation.generate(model, tokenizer, batch, decoding);
    }
}
