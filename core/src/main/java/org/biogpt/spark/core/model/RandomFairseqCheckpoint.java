package org.biogpt.spark.core.model;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;
import org.biogpt.spark.core.checkpoint.FairseqCheckpointWriter;
import org.biogpt.spark.core.checkpoint.TensorData;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * A random-weight BioGPT in the folder layout microsoft/BioGPT releases (fairseq): the checkpoint
 * ({@link FairseqCheckpointWriter}) of a {@code language_modeling_prompt} fine-tuning, a
 * {@code dict.txt} made from a Hub vocabulary (the inverse of transformers' {@code rewrite_dict_keys}:
 * {@code x</w>} is the word {@code x}, a bare piece {@code x} the continuation {@code x@@}) and its
 * merges as {@code bpecodes}. With the same seed its weights are {@link RandomCheckpoint}'s, plus the
 * task's extra embedding rows.
 *
 * @param learnedPrompt  cfg.task.learned_prompt (learned1 ... learnedN added to the dictionary)
 * @param prefix         cfg.task.prefix ({@code <seqsep>} added first)
 * @param checkpointName e.g. checkpoint.pt, checkpoint_avg.pt
 * @param sourceLang     cfg.task.source_lang; null writes {@code dict.txt}, else {@code dict.<lang>.txt}
 * @param sharedHead     output projection in the embedding's storage (else a copy, as averaging leaves it)
 * @param optimizerState include a real-size Adam state (two float32 moments) in the checkpoint
 */
public record RandomFairseqCheckpoint(int learnedPrompt, boolean prefix, String checkpointName, String sourceLang,
                                      boolean sharedHead, boolean optimizerState) {

    /** The layout of the paper's RE checkpoints: 9 learned tokens, checkpoint.pt, dict.txt, optimizer state. */
    public static RandomFairseqCheckpoint paperLike() {
        return new RandomFairseqCheckpoint(9, false, "checkpoint.pt", null, true, true);
    }

    /** Writes the folder into {@code out}; returns the checkpoint file's size. */
    public long write(RandomCheckpoint.ModelShape shape, DType dtype, Path out, Path tokenizerDir, long seed) {
        BioGptTokenizer hub = BioGptTokenizer.load(tokenizerDir);
        int words = hub.vocabSize() - 4;
        int rows = 4 + words + (prefix ? 1 : 0) + learnedPrompt;
        try {
            Files.createDirectories(out);
            Path dict = out.resolve(sourceLang == null ? "dict.txt" : "dict." + sourceLang + ".txt");
            try (BufferedWriter w = Files.newBufferedWriter(dict, StandardCharsets.UTF_8)) {
                for (int id = 4; id < hub.vocabSize(); id++) {
                    String token = hub.idToToken(id);
                    if (token == null) {
                        throw new IllegalArgumentException(tokenizerDir + ": vocabulary has no token with id " + id);
                    }
                    String word = token.endsWith("</w>") ? token.substring(0, token.length() - 4) : token + "@@";
                    w.write(word + " " + (hub.vocabSize() - id) + "\n");
                }
            }
            writeBpeCodes(tokenizerDir.resolve("merges.txt"), out.resolve(FairseqCheckpoint.BPE_CODES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        LinkedHashMap<String, TensorData> decoder = new LinkedHashMap<>();
        RandomCheckpoint.tensors(shape, rows, seed).forEach((name, t) ->
                decoder.put("decoder." + name.substring("biogpt.".length()), t));
        return FairseqCheckpointWriter.write(out.resolve(checkpointName), decoder, dtype, modelCfg(shape), taskCfg(),
                sharedHead, optimizerState);
    }

    /** merges.txt with a count per merge, as fastBPE's codes file has (fastBPE needs the third column). */
    private static void writeBpeCodes(Path merges, Path codes) throws IOException {
        List<String> lines = Files.readAllLines(merges, StandardCharsets.UTF_8);
        try (BufferedWriter w = Files.newBufferedWriter(codes, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#version")) {
                    continue;
                }
                w.write(line.split(" ").length == 2 ? line + " " + (lines.size() - i) : line);
                w.write("\n");
            }
        }
    }

    private static Map<String, Object> modelCfg(RandomCheckpoint.ModelShape s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_name", "transformer_lm_prompt_biogpt");
        m.put("activation_fn", "gelu");
        m.put("decoder_embed_dim", (long) s.hidden);
        m.put("decoder_input_dim", (long) s.hidden);
        m.put("decoder_output_dim", (long) s.hidden);
        m.put("decoder_ffn_embed_dim", (long) s.ffn);
        m.put("decoder_layers", (long) s.layers);
        m.put("decoder_attention_heads", (long) s.heads);
        m.put("decoder_learned_pos", true);
        m.put("decoder_normalize_before", true);
        m.put("no_decoder_final_norm", false);
        m.put("layernorm_embedding", false);
        m.put("no_scale_embedding", false);
        m.put("share_decoder_input_output_embed", true);
        m.put("adaptive_softmax_cutoff", null);
        m.put("max_target_positions", (long) s.positions);
        m.put("tokens_per_sample", (long) s.positions);
        return m;
    }

    private Map<String, Object> taskCfg() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("_name", "language_modeling_prompt");
        t.put("source_lang", sourceLang == null ? "x" : sourceLang);
        t.put("target_lang", "y");
        t.put("learned_prompt", (long) learnedPrompt);
        t.put("learned_prompt_pattern", "learned");
        t.put("manual_prompt", null);
        t.put("prefix", prefix);
        t.put("sep_token", "<seqsep>");
        t.put("max_source_positions", 640L);
        return t;
    }
}
