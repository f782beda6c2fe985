package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.biogpt.spark.core.batch.TokenBudgetBatcher;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Task prompts through a BioGPT checkpoint: batched by length, decoded with the given
 * configuration, each result the decoded continuation (what {@link OutputParser} reads).
 * The original task scripts decode greedily up to the model's length limit; {@link #taskDefaults}
 * builds that configuration.
 */
public final class ModelTextGenerator implements TextGenerationBackend {
    private final BioGptModel model;
    private final BioGptTokenizer tokenizer;
    private final GenerationConfig config;
    private final TokenBudgetBatcher batcher;
    private final IntConsumer progress;

    public ModelTextGenerator(BioGptModel model, BioGptTokenizer tokenizer, GenerationConfig config,
                              TokenBudgetBatcher batcher, IntConsumer progress) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config.validate();
        this.batcher = batcher;
        this.progress = progress;
    }

    /** Greedy until EOS or max_position_embeddings in all, as the original inference.py (beam 1). */
    public static GenerationConfig taskDefaults(GenerationConfig base, BioGptModel model) {
        return base.withMaxNewTokens(null).withMaxLength(model.config().maxPositions()).withNumBeams(1)
                .withDoSample(false);
    }

    @Override
    public List<String> generate(List<Prompt> prompts) {
        String[] texts = new String[prompts.size()];
        int[] lengths = prompts.stream().mapToInt(p -> p.ids().length).toArray();
        int done = 0;
        try (BioGptStepModel step = new BioGptStepModel(model)) {
            Generator generator = new Generator(step, ids -> tokenizer.decode(ids, true));
            for (int[] batch : batcher.plan(lengths)) {
                List<int[]> ids = new ArrayList<>();
                for (int i : batch) {
                    ids.add(prompts.get(i).ids());
                }
                List<GenerationResult> results = generator.generate(ids, config);
                for (int k = 0; k < batch.length; k++) {
                    texts[batch[k]] = tokenizer.decode(results.get(k).best().tokens(), true);
                }
                done += batch.length;
                progress.accept(done);
            }
        }
        return Arrays.asList(texts);
    }
}
