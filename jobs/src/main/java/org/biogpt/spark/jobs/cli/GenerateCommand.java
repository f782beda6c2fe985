package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.biogpt.spark.core.generate.EarlyStopping;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.GenerateTask;
import org.biogpt.spark.core.task.Generated;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: text generation with Hugging Face generate semantics (greedy, beam search, sampling). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate continuations: {\"id\", \"sequences\": [[new ids]...], \"texts\", \"scores\", \"stop_reasons\", \"token_logprobs\"}.",
            "Defaults come from the checkpoint's generation_config.json / config.json; options override them."})
public final class GenerateCommand extends ModelJsonlCommand<List<Generated>> {
    @Option(names = "--max-new-tokens", description = "New tokens at most (default: the checkpoint's, else max_length 20 in all).")
    Integer maxNewTokens;
    @Option(names = "--min-new-tokens", description = "No EOS before this many new tokens.")
    Integer minNewTokens;
    @Option(names = "--num-beams", description = "Beam width (1 = greedy or sampling).")
    Integer numBeams;
    @Option(names = "--num-return-sequences", description = "Sequences returned per prompt.")
    Integer numReturnSequences;
    @Option(names = "--length-penalty", description = "Beam score = sum log-probs / new_length^penalty.")
    Double lengthPenalty;
    @Option(names = "--early-stopping", description = "true, false or never (Hugging Face semantics).")
    String earlyStopping;
    @Option(names = "--no-repeat-ngram-size", description = "Ban repeating n-grams of this size.")
    Integer noRepeatNgramSize;
    @Option(names = "--repetition-penalty", description = "CTRL-style repetition penalty.")
    Double repetitionPenalty;
    @Option(names = "--do-sample", description = "Sample instead of greedy/beam search.")
    boolean doSample;
    @Option(names = "--temperature", description = "Sampling temperature.")
    Double temperature;
    @Option(names = "--top-k", description = "Sample among the k most likely tokens.")
    Integer topK;
    @Option(names = "--top-p", description = "Nucleus sampling mass.")
    Double topP;
    @Option(names = "--seed", description = "Sampling seed (per-row streams: same prompt + seed = same text in any batch).")
    Long seed;
    @Option(names = "--stop", description = "Stop string (repeatable).")
    List<String> stops;
    @Mixin
    DecodeWeightsOption decodeWeights;

    @Override
    String name() {
        return "generate";
    }

    /** The checkpoint's generation config with the options given on the command line on top (the one mapping of them). */
    @Override
    ModelTask<List<Generated>> task(BioGptTokenizer tokenizer) {
        return new GenerateTask(configure(GenerationConfig.load(modelPath())).validate());
    }

    /** The model's options with --decode-weights (a load-time choice: it decides how the decode weights are packed). */
    @Override
    ModelOptions modelOptions() {
        return super.modelOptions().withDecodeWeights(decodeWeights.format());
    }

    private GenerationConfig configure(GenerationConfig c) {
        if (maxNewTokens != null) c = c.withMaxNewTokens(maxNewTokens);
        if (minNewTokens != null) c = c.withMinNewTokens(minNewTokens);
        if (numBeams != null) c = c.withNumBeams(numBeams);
        if (numReturnSequences != null) c = c.withNumReturnSequences(numReturnSequences);
        if (lengthPenalty != null) c = c.withLengthPenalty(lengthPenalty);
        if (earlyStopping != null) c = c.withEarlyStopping(EarlyStopping.parse(earlyStopping));
        if (noRepeatNgramSize != null) c = c.withNoRepeatNgramSize(noRepeatNgramSize);
        if (repetitionPenalty != null) c = c.withRepetitionPenalty(repetitionPenalty);
        if (doSample) c = c.withDoSample(true);
        if (temperature != null) c = c.withTemperature(temperature);
        if (topK != null) c = c.withTopK(topK);
        if (topP != null) c = c.withTopP(topP);
        if (seed != null) c = c.withSeed(seed);
        if (stops != null) c = c.withStopStrings(stops);
        return c;
    }

    @Override
    void render(ObjectNode n, TextInput input, List<Generated> sequences, BioGptTokenizer tokenizer) {
        ArrayNode seqs = n.putArray("sequences");
        ArrayNode texts = n.putArray("texts");
        ArrayNode scores = n.putArray("scores");
        ArrayNode reasons = n.putArray("stop_reasons");
        ArrayNode logprobs = n.putArray("token_logprobs");
        for (Generated s : sequences) {
            ArrayNode ids = seqs.addArray();
            for (int t : s.tokens()) {
                ids.add(t);
            }
            texts.add(s.text());
            scores.add(s.score());
            reasons.add(s.stopReason());
            putFloats(logprobs.addArray(), s.tokenLogProbs());
        }
    }
}
