package org.biogpt.spark.udfs.tasks;

import java.io.Serializable;
import org.biogpt.spark.core.generate.EarlyStopping;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptConfig;

/**
 * Decoding params of the generating stages, serializable so they travel in the partition function;
 * {@link #config} makes the core {@link GenerationConfig} on the executor. Length is always
 * {@code maxNewTokens} (never max_length, which would count the padded width and make a row's
 * result depend on its batch).
 */
public record Decoding(int maxNewTokens, int minNewTokens, int numBeams, double lengthPenalty, String earlyStopping,
                       int noRepeatNgramSize, double repetitionPenalty, boolean doSample, double temperature,
                       int topK, double topP, long seed) implements Serializable {

    /** This, after checking every param and combination (errors name the generate() field). */
    public Decoding validated() {
        if (earlyStopping == null) {
            throw new IllegalArgumentException("early_stopping is not set");
        }
        // the checkpoint supplies the special ids on the executor; BioGPT's (eos 2, pad 1, bos 0) stand in here
        config(null).withEosTokenIds(2).withPadTokenId(1).withBosTokenId(0).validate();
        return this;
    }

    /** Greedy decoding of {@code maxNewTokens} tokens at most, as the original task scripts (beam 1). */
    public static Decoding greedy(int maxNewTokens) {
        return new Decoding(maxNewTokens, 0, 1, 1.0, "false", 0, 1.0, false, 1.0, 50, 1.0, 0L).validated();
    }

    /** The generation config, with eos/pad/bos ids of the checkpoint (none when {@code model} is null). */
    public GenerationConfig config(BioGptConfig model) {
        GenerationConfig c = GenerationConfig.defaults()
                .withMaxNewTokens(maxNewTokens)
                .withMinNewTokens(minNewTokens)
                .withNumBeams(numBeams)
                .withLengthPenalty(lengthPenalty)
                .withEarlyStopping(EarlyStopping.parse(earlyStopping))
                .withNoRepeatNgramSize(noRepeatNgramSize)
                .withRepetitionPenalty(repetitionPenalty)
                .withDoSample(doSample)
                .withTemperature(temperature)
                .withTopK(topK)
                .withTopP(topP)
                .withSeed(seed);
        if (model != null) {
            c = c.withEosTokenIds(model.eosTokenId()).withPadTokenId(model.padTokenId()).withBosTokenId(model.bosTokenId());
        }
        return c;
    }
}
