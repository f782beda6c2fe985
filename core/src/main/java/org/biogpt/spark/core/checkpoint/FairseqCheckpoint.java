package org.biogpt.spark.core.checkpoint;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A model folder as microsoft/BioGPT releases it (fairseq): a {@code torch.save} checkpoint of
 * fairseq's trainer state ({@code checkpoint.pt}, {@code checkpoint_avg.pt}, {@code checkpoint_best.pt},
 * or a file named explicitly), the dictionary ({@code dict.txt}, or {@code dict.<source_lang>.txt}
 * as the prompt task loads it) and {@code bpecodes}.
 *
 * <p>Read as the Hub layout would hold it: {@link #hubConfig()} is the {@code config.json} of
 * {@code cfg.model} (or {@code args}), the tensors are the state dict's {@code decoder.*} renamed
 * {@code biogpt.*} ({@code decoder.output_projection.weight} becomes the LM head
 * {@code output_projection.weight}; {@code decoder.version} is dropped), and {@link #dictionary()}
 * holds fairseq's symbols with the task's added ones ({@link FairseqTask}). Only the model's
 * tensors are ever mapped; the optimizer state and meters stay unread in the file.
 */
public final class FairseqCheckpoint implements StateDict {
    /** Checkpoint names looked for in a folder; more than one present is ambiguous. */
    public static final List<String> CHECKPOINT_NAMES = List.of("checkpoint.pt", "checkpoint_avg.pt",
            "checkpoint_best.pt");
    public static final String BPE_CODES = "bpecodes";
    private static final String FROM = "decoder.";
    private static final String TO = "biogpt.";
    private static final String OUTPUT_PROJECTION = "decoder.output_projection.weight";
    private static final String EMBED = "decoder.embed_tokens.weight";

    private final Path file;
    private final Path dictionaryFile;
    private final Path bpeCodes;
    private final Map<?, ?> modelCfg;
    private final FairseqTask task;
    private final TorchZipCheckpoint torch;
    /** Hub name to stored name. */
    private final Map<String, String> names;

    private FairseqCheckpoint(Path file, Path dictionaryFile, Path bpeCodes, Map<?, ?> modelCfg, FairseqTask task,
                              TorchZipCheckpoint torch, Map<String, String> names) {
        this.file = file;
        this.dictionaryFile = dictionaryFile;
        this.bpeCodes = bpeCodes;
        this.modelCfg = modelCfg;
        this.task = task;
        this.torch = torch;
        this.names = names;
    }

    /**
     * Whether {@code path} is in this layout: a {@code .pt} file, or a folder without the Hub's
     * {@code config.json} that has {@code bpecodes} or one of {@link #CHECKPOINT_NAMES}.
     */
    public static boolean isLayout(Path path) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().endsWith(".pt");
        }
        if (!Files.isDirectory(path) || Files.exists(path.resolve("config.json"))) {
            return false;
        }
        return Files.isRegularFile(path.resolve(BPE_CODES))
                || CHECKPOINT_NAMES.stream().anyMatch(n -> Files.isRegularFile(path.resolve(n)));
    }

    /** Opens a folder (its one checkpoint) or one {@code .pt} file inside such a folder. */
    public static FairseqCheckpoint open(Path path) {
        Path file = checkpointFile(path);
        Path dir = file.toAbsolutePath().getParent();
        Path bpe = dir.resolve(BPE_CODES);
        if (!Files.isRegularFile(bpe)) {
            throw new CheckpointException("fairseq model folder " + dir + " has no " + BPE_CODES
                    + " (copy it from microsoft/BioGPT's data/ folder: the BPE codes the model was trained with)");
        }
        Object[] cfg = new Object[2];
        TorchZipCheckpoint torch = TorchZipCheckpoint.open(file, root -> {
            if (!(root instanceof Map<?, ?> m) || !m.containsKey("model")) {
                throw new CheckpointException(file + " is not a fairseq checkpoint (no 'model' entry in its pickle)");
            }
            cfg[0] = section(file, m, "model");
            cfg[1] = section(file, m, "task");
            return m.get("model");
        });
        try {
            FairseqTask task = FairseqTask.from((Map<?, ?>) cfg[1], file.toString());
            Path dict = dictionaryFile(dir, task);
            return new FairseqCheckpoint(file, dict, bpe, (Map<?, ?>) cfg[0], task, torch, rename(file, torch));
        } catch (RuntimeException e) {
            torch.close();
            throw e;
        }
    }

    /** cfg.&lt;part&gt;, or the flat {@code args} (an argparse.Namespace) of checkpoints before fairseq 0.10. */
    private static Map<?, ?> section(Path file, Map<?, ?> root, String part) {
        if (root.get("cfg") instanceof Map<?, ?> cfg && cfg.get(part) instanceof Map<?, ?> m) {
            return m;
        }
        if (root.get("args") instanceof Map<?, ?> args) {
            return args;
        }
        throw new CheckpointException(file + ": the checkpoint has neither cfg." + part + " nor args");
    }

    private static Path checkpointFile(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new CheckpointException(path + " is neither a model folder nor a checkpoint file");
        }
        List<Path> found = new ArrayList<>();
        for (String n : CHECKPOINT_NAMES) {
            if (Files.isRegularFile(path.resolve(n))) {
                found.add(path.resolve(n));
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        throw new CheckpointException("fairseq model folder " + path + (found.isEmpty()
                ? " has none of " + CHECKPOINT_NAMES
                : " has several checkpoints " + found.stream().map(p -> p.getFileName().toString()).toList())
                + ": name one (--checkpoint-file NAME, or the .pt file's path as the model path)");
    }

    /** dict.&lt;source_lang&gt;.txt as the prompt task loads it, else dict.txt, else the folder's only dict.*.txt. */
    private static Path dictionaryFile(Path dir, FairseqTask task) {
        if (task.sourceLang() != null && !task.sourceLang().contains("/")) {
            Path lang = dir.resolve("dict." + task.sourceLang() + ".txt");
            if (Files.isRegularFile(lang)) {
                return lang;
            }
        }
        Path plain = dir.resolve("dict.txt");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        List<Path> any;
        try (Stream<Path> s = Files.list(dir)) {
            any = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("dict.") && n.endsWith(".txt") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (any.size() == 1) {
            return any.get(0);
        }
        throw new CheckpointException("fairseq model folder " + dir + " has " + (any.isEmpty()
                ? "no dictionary: looked for " + (task.sourceLang() == null ? "" : "dict." + task.sourceLang()
                + ".txt, ") + "dict.txt and dict.*.txt (copy microsoft/BioGPT's data/dict.txt there)"
                : "several dictionaries " + any.stream().map(p -> p.getFileName().toString()).toList()
                + " and none named by cfg.task.source_lang (" + task.sourceLang() + ") or dict.txt"));
    }

    private static Map<String, String> rename(Path file, TorchZipCheckpoint torch) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String stored : torch.names()) {
            if (stored.equals("decoder.version")) {
                continue;
            }
            String hub;
            if (stored.equals(OUTPUT_PROJECTION)) {
                hub = "output_projection.weight";
            } else if (stored.startsWith(FROM)) {
                hub = TO + stored.substring(FROM.length());
            } else {
                hub = stored; // reported as unexpected by whoever loads the weights
            }
            names.put(hub, stored);
        }
        if (!torch.names().contains(EMBED)) {
            throw new CheckpointException(file + ": the model has no " + EMBED + " (not a BioGPT decoder)");
        }
        return names;
    }

    /** The checkpoint file read. */
    public Path file() {
        return file;
    }

    public Path dictionaryFile() {
        return dictionaryFile;
    }

    public Path bpeCodes() {
        return bpeCodes;
    }

    public FairseqTask task() {
        return task;
    }

    /** The dictionary as the task builds it at load time: file symbols, then the task's added ones. */
    public FairseqDictionary dictionary() {
        FairseqDictionary dict = FairseqDictionary.read(dictionaryFile);
        task.addTo(dict);
        long rows = torch.info(EMBED).shape()[0];
        if (dict.size() != rows) {
            throw new CheckpointException(file + ": the embedding has " + rows + " rows but the vocabulary has "
                    + dict.size() + " (4 special symbols + " + dict.fileSymbols() + " in "
                    + dictionaryFile.getFileName() + " + " + (dict.size() - 4 - dict.fileSymbols())
                    + " added by cfg.task " + task.name() + "): is this the dictionary the model was trained with?");
        }
        return dict;
    }

    /** The ids of the task's prompt words ({@code learned1 ...}) in {@link #dictionary()}; empty without a prompt. */
    public int[] promptIds(FairseqDictionary dict) {
        int[] ids = new int[task.promptWords().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = dict.index(task.promptWords().get(i));
        }
        return ids;
    }

    /**
     * The Hub {@code config.json} this checkpoint corresponds to (what transformers' converter
     * writes), from {@code cfg.model}; architecture options the BioGPT forward does not have are
     * refused here, by name.
     */
    public ObjectNode hubConfig() {
        String where = file + ": cfg.model";
        int d = intKey(where, "decoder_embed_dim");
        for (String k : List.of("decoder_input_dim", "decoder_output_dim")) {
            if (modelCfg.get(k) instanceof Long v && v != d) {
                throw new CheckpointException(where + "." + k + " is " + v + ", not decoder_embed_dim " + d
                        + " (projections around the decoder are not part of BioGPT)");
            }
        }
        requireFlag(where, "decoder_normalize_before", true, true);
        requireFlag(where, "decoder_learned_pos", true, true);
        requireFlag(where, "no_token_positional_embeddings", false, false);
        requireFlag(where, "no_decoder_final_norm", false, false);
        requireFlag(where, "layernorm_embedding", false, false);
        requireFlag(where, "adaptive_input", false, false);
        if (modelCfg.get("adaptive_softmax_cutoff") != null) {
            throw new CheckpointException(where + ".adaptive_softmax_cutoff is set: adaptive softmax is not BioGPT's LM head");
        }
        requireTiedHead(where);
        Object act = modelCfg.get("activation_fn");
        String activation = act == null ? "relu" : act.toString(); // fairseq's default
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add("BioGptForCausalLM");
        c.put("model_type", "biogpt");
        c.put("vocab_size", torch.info(EMBED).shape()[0]);
        c.put("hidden_size", d);
        c.put("num_hidden_layers", intKey(where, "decoder_layers"));
        c.put("num_attention_heads", intKey(where, "decoder_attention_heads"));
        c.put("intermediate_size", intKey(where, "decoder_ffn_embed_dim"));
        c.put("max_position_embeddings", maxPositions(where));
        c.put("hidden_act", activation);
        c.put("scale_embedding", !Boolean.TRUE.equals(modelCfg.get("no_scale_embedding")));
        c.put("pad_token_id", 1);
        c.put("bos_token_id", 0);
        c.put("eos_token_id", 2);
        return c;
    }

    /** max_target_positions; fairseq's transformer_lm falls back to tokens_per_sample when it is unset. */
    private int maxPositions(String where) {
        for (String k : List.of("max_target_positions", "tokens_per_sample")) {
            if (modelCfg.get(k) != null) {
                return intKey(where, k);
            }
        }
        throw new CheckpointException(where + " has neither max_target_positions nor tokens_per_sample");
    }

    /**
     * BioGPT's LM head is the token embedding. With share_decoder_input_output_embed the two are one
     * parameter; averaged checkpoints store them as separate but equal tensors, which is checked.
     */
    private void requireTiedHead(String where) {
        if (!Boolean.TRUE.equals(modelCfg.get("share_decoder_input_output_embed"))) {
            throw new CheckpointException(where + ".share_decoder_input_output_embed is not true: an output "
                    + "projection of its own is not supported (BioGPT ties it to the token embedding)");
        }
        if (!torch.names().contains(OUTPUT_PROJECTION)) {
            return;
        }
        if (!Arrays.equals(torch.info(EMBED).shape(), torch.info(OUTPUT_PROJECTION).shape())) {
            throw new CheckpointException(file + ": " + OUTPUT_PROJECTION + " " + torch.info(OUTPUT_PROJECTION)
                    + " differs in shape from " + EMBED + " " + torch.info(EMBED));
        }
    }

    private void requireFlag(String where, String key, boolean required, boolean whenAbsent) {
        Object v = modelCfg.get(key);
        boolean value = v == null ? whenAbsent : Boolean.TRUE.equals(v);
        if (value != required) {
            throw new CheckpointException(where + "." + key + " is " + value + "; BioGPT's decoder needs " + required);
        }
    }

    private int intKey(String where, String key) {
        Object v = modelCfg.get(key);
        if (!(v instanceof Long l) || l <= 0 || l > Integer.MAX_VALUE) {
            throw new CheckpointException(where + "." + key + (v == null ? " is missing" : " is " + v
                    + ", not a positive integer"));
        }
        return (int) (long) l;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(names.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo stored = torch.info(stored(name));
        return new TensorInfo(name, stored.dtype(), stored.shape());
    }

    @Override
    public ByteBuffer float32Bytes(String name) {
        String stored = stored(name);
        ByteBuffer bytes = torch.float32Bytes(stored);
        if (stored.equals(EMBED)) {
            requireEqualHead(bytes);
        }
        return bytes;
    }

    /**
     * The embedding is read as the LM head too: an output projection stored apart from it (as
     * fairseq's average_checkpoints.py writes it) must hold the same values.
     */
    private void requireEqualHead(ByteBuffer embedding) {
        if (!torch.names().contains(OUTPUT_PROJECTION) || torch.sharedStorages().stream()
                .anyMatch(s -> s.contains(EMBED) && s.contains(OUTPUT_PROJECTION))) {
            return;
        }
        ByteBuffer head = torch.float32Bytes(OUTPUT_PROJECTION);
        boolean same = embedding.duplicate().equals(head);
        MappedBuffers.release(head);
        if (!same) {
            throw new CheckpointException(file + ": " + OUTPUT_PROJECTION + " differs from " + EMBED
                    + " although share_decoder_input_output_embed is true (BioGPT's LM head is the embedding)");
        }
    }

    /** Storage records mapped so far (the model's only; for tests that the rest stays unread). */
    public int storagesRead() {
        return torch.storagesRead();
    }

    private String stored(String name) {
        String s = names.get(name);
        if (s == null) {
            throw new CheckpointException(file + " has no tensor '" + name + "'");
        }
        return s;
    }

    @Override
    public void close() {
        torch.close();
    }
}
