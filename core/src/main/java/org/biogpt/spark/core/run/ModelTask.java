package org.biogpt.spark.core.run;

import java.io.Serializable;
import java.util.List;
import java.util.function.Supplier;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;

/**
 * What one capability does with a batch of rows: a thin call into the model. {@link BatchRunner} does
 * everything else — validation, tokenization, length policy, batching by token budget, order, errors,
 * row-by-row retry — for every caller (Spark stage, SQL function, CLI command), so a new capability
 * is one of these plus a thin adapter per caller.
 *
 * <p>A row arrives as its input fields (one per input column, the main text first). The default
 * {@link #prepare} tokenizes the main text; prompt tasks override it to build their prompt ids.
 *
 * @param <R> the per-row result
 */
public interface ModelTask<R> extends Serializable {
    /** False for tasks that need only the tokenizer: the weights are then never loaded. */
    boolean needsModel();

    /**
     * Results for a batch, in the batch's order.
     *
     * @param model the cached model, or null when {@link #needsModel()} is false
     * @param batch rows sorted by token length, every one within the model's length limit
     */
    default List<R> run(BioGptModel model, List<TextInput> batch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " needs the tokenizer: call run(model, tokenizer, batch)");
    }

    /** {@link #run(BioGptModel, List)} for tasks that also decode text with the tokenizer. */
    default List<R> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        return run(model, batch);
    }

    /**
     * The model input of one row, or {@link RowRejected} with the reason it has none. The default:
     * the first field must be non-blank text; it is tokenized, and an encoding over the input limit
     * is an error or truncated as the policy says.
     *
     * @param fields the row's input fields (main text first); entries may be null
     * @param limits resolved on first use (it may load the model)
     */
    default TextInput prepare(BioGptTokenizer tokenizer, List<String> fields, Supplier<Limits> limits, LengthPolicy policy) {
        String text = requireText(fields.get(0), "text");
        Encoding e;
        try {
            e = tokenizer.encode(text);
        } catch (RuntimeException ex) {
            throw new RowRejected("tokenization failed: " + ex.getMessage());
        }
        int limit = limits.get().inputLimit();
        if (e.length() > limit) {
            if (policy == LengthPolicy.ERROR) {
                throw new RowRejected("text has " + e.length() + " tokens, more than the limit of " + limit
                        + " (maxInputTokens / max_position_embeddings); set truncation=truncate to keep the first " + limit);
            }
            e = e.truncate(limit);
        }
        return new TextInput(text, e);
    }

    /** The value, or {@link RowRejected} "NAME is null" / "NAME is empty". */
    static String requireText(String value, String name) {
        if (value == null) {
            throw new RowRejected(name + " is null");
        }
        if (value.isBlank()) {
            throw new RowRejected(name + " is empty");
        }
        return value;
    }
}
