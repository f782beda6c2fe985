package org.biogpt.spark.core.task;

import java.util.List;
import java.util.function.Supplier;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.Limits;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.RowRejected;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;

/**
 * Free text generation: the prompt text tokenized as Hugging Face does ({@code </s>} first), then
 * core's {@code Generator} with the decoding config; every returned sequence of a prompt, best first.
 * A prompt must leave room for {@code max_new_tokens} in the model's positions; under
 * truncation=truncate its first tokens are kept.
 */
public final class GenerateTask implements ModelTask<List<Generated>> {
    private final GenerationConfig config;

    /** @param config the decoding config; the checkpoint supplies the special ids it leaves unset */
    public GenerateTask(GenerationConfig config) {
        this.config = config;
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
        int limit = limits.get().promptLimit(config.reservedNewTokens());
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
    public List<List<Generated>> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        return Generation.all(model, tokenizer, batch, config);
    }
}
