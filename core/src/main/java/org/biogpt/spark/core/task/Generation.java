package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * One core {@link Generator} call over a batch of prompts (left-padded there), results in batch
 * order; the checkpoint supplies the special ids the config leaves unset.
 */
final class Generation {
    private Generation() {
    }

    /** Every returned sequence of every prompt (num_return_sequences per prompt). */
    static List<List<Generated>> all(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch,
                                     GenerationConfig config) {
        return all(model, tokenizer, batch, config, s -> { });
    }

    /** {@link #all}, with {@code afterPrefill} seeing the prompts' state first (rows in batch order). */
    static List<List<Generated>> all(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch,
                                     GenerationConfig config, Consumer<ForwardState> afterPrefill) {
        List<int[]> prompts = new ArrayList<>(batch.size());
        batch.forEach(b -> prompts.add(b.intIds()));
        List<GenerationResult> results;
        // The step model borrows the shared model; closing it frees only this batch's cache.
        try (BioGptStepModel step = new BioGptStepModel(model, afterPrefill)) {
            results = new Generator(step, ids -> tokenizer.decode(ids, true))
                    .generate(prompts, config.withSpecialIdsOf(model.config()));
        }
        List<List<Generated>> out = new ArrayList<>(results.size());
        for (GenerationResult r : results) {
            List<Generated> sequences = new ArrayList<>(r.sequences().size());
            for (GeneratedSequence s : r.sequences()) {
                sequences.add(Generated.of(s, tokenizer));
            }
            out.add(sequences);
        }
        return out;
    }

    /** The best sequence of every prompt. */
    static List<Generated> best(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch,
                                GenerationConfig config) {
        return best(model, tokenizer, batch, config, s -> { });
    }

    /** {@link #best}, with {@code afterPrefill} seeing the prompts' state first (rows in batch order). */
    static List<Generated> best(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch,
                                GenerationConfig config, Consumer<ForwardState> afterPrefill) {
        List<Generated> out = new ArrayList<>(batch.size());
        for (List<Generated> sequences : all(model, tokenizer, batch, config, afterPrefill)) {
            out.add(sequences.get(0));
        }
        return out;
    }
}
