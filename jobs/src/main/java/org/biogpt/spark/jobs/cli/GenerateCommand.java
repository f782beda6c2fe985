package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.EarlyStopping;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.GenerationResult;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: text generation with Hugging Face generate semantics (greedy, beam search, sampling). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate continuations: {\"id\", \"sequences\": [[new ids]...], \"texts\", \"scores\", \"stop_reasons\", \"token_logprobs\"}.",
            "Defaults come from the checkpoint's generation_config.json / config.json; options override them."})
public final class GenerateCommand extends ModelJsonlCommand {
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

    private BioGptTokenizer tokenizer;
    private GenerationConfig config;

    @Override
    String name() {
        return "generate";
    }

    @Override
    public Integer call() throws Exception {
        tokenizer = BioGptTokenizer.load(modelPath());
        config = configure(GenerationConfig.load(modelPath())).validate();
        return super.call();
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
    List<ObjectNode> process(BioGptModel model, List<long[]> rows) {
        List<int[]> prompts = new ArrayList<>();
        for (long[] r : rows) {
            int[] p = new int[r.length];
            for (int i = 0; i < r.length; i++) {
                p[i] = (int) r[i];
            }
            prompts.add(p);
        }
        List<GenerationResult> results;
        // The step model borrows the shared model; closing it frees only this batch's cache.
        try (BioGptStepModel step = new BioGptStepModel(model)) {
            results = new Generator(step, ids -> tokenizer.decode(ids, true)).generate(prompts, config);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (GenerationResult res : results) {
            ObjectNode n = JsonLines.MAPPER.createObjectNode();
            ArrayNode seqs = n.putArray("sequences");
            ArrayNode texts = n.putArray("texts");
            ArrayNode scores = n.putArray("scores");
            ArrayNode reasons = n.putArray("stop_reasons");
            ArrayNode logprobs = n.putArray("token_logprobs");
            for (GeneratedSequence s : res.sequences()) {
                ArrayNode ids = seqs.addArray();
                for (int t : s.tokens()) {
                    ids.add(t);
                }
                texts.add(tokenizer.decode(s.tokens(), true));
                scores.add(s.score());
                reasons.add(s.stopReason().name().toLowerCase(Locale.ROOT));
                putFloats(logprobs.addArray(), s.tokenLogProbs());
            }
            out.add(n);
        }
        return out;
    }
}
