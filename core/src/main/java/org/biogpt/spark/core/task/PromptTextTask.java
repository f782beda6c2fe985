package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.Limits;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * The text a checkpoint generates after a task's prompt, as the BioGPT task scripts produce it for
 * scoring ({@code evaluate}): the prompt from core's {@link PromptBuilder} with the task's own source
 * limit, generation with the given config, the continuation decoded. Input fields are the values of
 * the task's template fields, in {@link TaskDefinition#fields()} order (null reads as "").
 *
 * <p>A prompt longer than max_position_embeddings keeps its first ids, as the original's truncation
 * does; batches are planned by the whole prompt's length, as the original groups its inputs.
 */
public final class PromptTextTask implements ModelTask<String> {
    private final TaskPrompts prompts;
    private final GenerationConfig config;
    private transient PromptBuilder builder;
    private transient BioGptTokenizer builderTokenizer;

    public PromptTextTask(TaskDefinition task, GenerationConfig config) {
        this.prompts = new TaskPrompts(task, task.fields());
        this.config = config;
    }

    /** The original scripts' decoding: greedy until EOS or max_position_embeddings in all (beam 1). */
    public static GenerationConfig taskDefaults(GenerationConfig checkpoint, int maxPositions) {
        return checkpoint.withMaxNewTokens(null).withMaxLength(maxPositions).withNumBeams(1).withDoSample(false);
    }

    /** A row's input fields from its template values. */
    public List<String> fields(Map<String, String> values) {
        List<String> names = prompts.task().fields();
        List<String> out = new ArrayList<>(names.size());
        names.forEach(f -> out.add(values.get(f)));
        return out;
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public TextInput prepare(BioGptTokenizer tokenizer, List<String> fields, Supplier<Limits> limits, LengthPolicy policy) {
        return TextInput.of(null, builder(tokenizer).build(prompts.fields(fields, 0)));
    }

    private PromptBuilder builder(BioGptTokenizer tokenizer) {
        if (builder == null || builderTokenizer != tokenizer) {
            builder = new PromptBuilder(prompts.task(), tokenizer);
            builderTokenizer = tokenizer;
        }
        return builder;
    }

    @Override
    public List<String> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        int max = model.config().maxPositions();
        List<TextInput> fitted = new ArrayList<>(batch.size());
        for (TextInput row : batch) {
            int[] ids = row.intIds();
            fitted.add(ids.length <= max ? row : TextInput.ofIds(Arrays.copyOf(ids, max)));
        }
        List<String> out = new ArrayList<>(batch.size());
        for (Generated g : Generation.best(model, tokenizer, fitted, config)) {
            out.add(g.text());
        }
        return out;
    }
}
