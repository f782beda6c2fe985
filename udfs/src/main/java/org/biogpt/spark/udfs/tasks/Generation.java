package org.biogpt.spark.udfs.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.partition.TextInput;

/** One core {@link Generator} call over a batch of prompts (left-padded there), results in batch order. */
final class Generation {
    private Generation() {
    }

    static List<Generated> generate(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch, Decoding decoding) {
        GenerationConfig config = decoding.config(model.config());
        List<int[]> prompts = new ArrayList<>(batch.size());
        batch.forEach(b -> prompts.add(b.intIds()));
        List<GenerationResult> results;
        try (BioGptStepModel step = new BioGptStepModel(model)) {
            results = new Generator(step, ids -> tokenizer.decode(ids, true)).generate(prompts, config);
        }
        List<Generated> out = new ArrayList<>(results.size());
        for (GenerationResult r : results) {
            out.add(of(r.best(), tokenizer));
        }
        return out;
    }

    static Generated of(GeneratedSequence s, BioGptTokenizer tokenizer) {
        int[] tokens = s.tokens();
        return new Generated(tokenizer.decode(tokens, true), tokens.length, s.score(),
                s.stopReason().name().toLowerCase(Locale.ROOT));
    }
}
