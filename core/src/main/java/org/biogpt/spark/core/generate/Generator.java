package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decodes a batch of prompts with one model cache: greedy search, sampling or beam search as the
 * config says, with Hugging Face {@code generate} semantics. Prompts are token ids (no padding);
 * they are left-padded here, so the model derives positions from the mask. Results come back
 * in prompt order, new tokens only; decoding text is the caller's business.
 *
 * <p>Not thread-safe: the model's cache belongs to one generate call at a time.
 */
public final class Generator {
    private final StepModel model;
    private final Function<int[], String> decoder;

    /** A generator without stop-string support. */
    public Generator(StepModel model) {
        this(model, null);
    }

    /**
     * @param decoder turns new token ids into text; needed only for stop strings (e.g.
     *                {@code ids -> tokenizer.decode(ids, true)})
     */
    public Generator(StepModel model, Function<int[], String> decoder) {
        this.model = Objects.requireNonNull(model, "model");
        this.decoder = decoder;
    }

    /**
     * One result per prompt, in order. An empty prompt starts from bos_token_id, as the
     * reference does without input ids.
     */
    public List<GenerationResult> generate(List<int[]> prompts, GenerationConfig config) {
        config.validate();
        if (!config.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a token decoder: use Generator(model, decoder)");
        }
        if (prompts.isEmpty()) {
            return List.of();
        }
        List<int[]> inputs = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            inputs.add(checked(prompts.get(i), i, config));
        }
        PaddedBatch batch = PaddedBatch.leftPad(inputs, config.padTokenId());
        if (config.numBeams() > 1) {
            return new BeamSearch(model, config).run(batch);
        }
        return new GreedySearch(model, config, decoder).run(batch);
    }

    private int[] checked(int[] prompt, int index, GenerationConfig config) {
        Objects.requireNonNull(prompt, "prompt " + index);
        if (prompt.length == 0) {
            if (config.bosTokenId() == null) {
                throw new IllegalArgumentException("prompt " + index + " is empty and no bos_token_id is set");
            }
            return new int[] {config.bosTokenId()};
        }
        int vocab = model.vocabSize();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("prompt " + index + " has token id " + id
                        + " outside the vocabulary [0, " + vocab + ")");
            }
        }
        return prompt;
    }
}
