package org.biogpt.spark.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.SafetensorsWriter;
import org.biogpt.spark.core.checkpoint.TensorData;

/**
 * Writes a random-weight BioGPT checkpoint of a real shape in Hub layout: config.json,
 * model.safetensors (tied output_projection not stored, as save_pretrained does), and the
 * tokenizer's vocab.json + merges.txt copied from a given folder. Weights are N(0, 0.02),
 * LayerNorm weights 1 and biases 0. Tensors are generated and written one chunk at a time, so
 * BioGPT-Large (> 2 GiB) needs no more heap than a chunk.
 *
 * <p>Holds its own minimal safetensors writer; the checkpoint package's writer can replace it.
 */
public final class RandomCheckpoint {

    /** A named model shape. */
    public enum ModelShape {
        BIOGPT(42384, 1024, 24, 16, 4096, 1024),
        BIOGPT_LARGE(57717, 1600, 48, 25, 6400, 2048),
        TINY(42384, 32, 2, 4, 64, 128);

        public final int vocab;
        public final int hidden;
        public final int layers;
        public final int heads;
        public final int ffn;
        public final int positions;

        ModelShape(int vocab, int hidden, int layers, int heads, int ffn, int positions) {
            this.vocab = vocab;
            this.hidden = hidden;
            this.layers = layers;
            this.heads = heads;
            this.ffn = ffn;
            this.positions = positions;
        }

        public Dimensions dimensions() {
            return new Dimensions(vocab, hidden, layers, heads, ffn, positions);
        }

        /** "biogpt", "biogpt-large" or "tiny". */
        public static ModelShape parse(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "biogpt": return BIOGPT;
                case "biogpt-large": return BIOGPT_LARGE;
                case "tiny": return TINY;
                default: throw new IllegalArgumentException("unknown shape '" + name + "' (biogpt, biogpt-large, tiny)");
            }
        }
    }

    /** A BioGPT's dimensions, as its config.json gives them. */
    public record Dimensions(int vocab, int hidden, int layers, int heads, int ffn, int positions) {
    }

    /**
     * The head a checkpoint carries: the LM head (tied to the embedding, not stored), a token classifier
     * ({@code classifier.weight} and {@code .bias}, as BioGptForTokenClassification) or a sequence classifier
     * ({@code score.weight}, no bias, as BioGptForSequenceClassification) over {@code labels} (id order).
     */
    public record Head(String architecture, List<String> labels) {
        public static final Head CAUSAL_LM = new Head("BioGptForCausalLM", List.of());

        public Head {
            labels = List.copyOf(labels);
            if (!architecture.equals("BioGptForCausalLM") && labels.isEmpty()) {
                throw new IllegalArgumentException(architecture + " needs at least one label");
            }
        }

        /**
         * "causal-lm", "token-classification" or "sequence-classification"; labels default to the bundled
         * tiny models' (O, B-/I-Chemical, B-/I-Disease; yes, no, maybe).
         */
        public static Head parse(String name, List<String> labels) {
            boolean none = labels == null || labels.isEmpty();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "causal-lm":
                    if (!none) {
                        throw new IllegalArgumentException("labels are for a classification head, not causal-lm");
                    }
                    return CAUSAL_LM;
                case "token-classification":
                    return new Head("BioGptForTokenClassification",
                            none ? List.of("O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease") : labels);
                case "sequence-classification":
                    return new Head("BioGptForSequenceClassification", none ? List.of("yes", "no", "maybe") : labels);
                default:
                    throw new IllegalArgumentException("unknown head '" + name
                            + "' (causal-lm, token-classification, sequence-classification)");
            }
        }
    }

    /** Storage dtype of the written weights. */
    private record Spec(String name, long[] shape, Init init) {
    }

    private enum Init { NORMAL, ONES, ZEROS }

    private RandomCheckpoint() {
    }

    /** Writes the checkpoint into {@code out} (created if needed); returns the bytes of model.safetensors. */
    public static long write(ModelShape shape, DType dtype, Path out, Path tokenizerDir, long seed) {
        return write(shape, Head.CAUSAL_LM, dtype, out, tokenizerDir, seed);
    }

    /**
     * A checkpoint with the given head; the body's weights are those {@link #write(ModelShape, DType, Path, Path, long)}
     * writes for the same seed (the head's tensors come after them).
     */
    public static long write(ModelShape shape, Head head, DType dtype, Path out, Path tokenizerDir, long seed) {
        try {
            Files.createDirectories(out);
            writeConfig(shape.dimensions(), head, dtype, out.resolve("config.json"));
            for (String f : new String[] {"vocab.json", "merges.txt"}) {
                Path src = tokenizerDir.resolve(f);
                if (!Files.isRegularFile(src)) {
                    throw new IllegalArgumentException("tokenizer folder " + tokenizerDir + " has no " + f);
                }
                Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            SafetensorsWriter.write(out.resolve("model.safetensors"), tensors(shape, head, shape.vocab, seed), dtype);
            return Files.size(out.resolve("model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + out, e);
        }
    }

    private static List<Spec> specs(ModelShape s, int vocabRows) {
        List<Spec> list = new ArrayList<>();
        list.add(new Spec("biogpt.embed_tokens.weight", new long[] {vocabRows, s.hidden}, Init.NORMAL));
        list.add(new Spec("biogpt.embed_positions.weight",
                new long[] {s.positions + BioGptConfig.POSITION_OFFSET, s.hidden}, Init.NORMAL));
        for (int i = 0; i < s.layers; i++) {
            String p = "biogpt.layers." + i + ".";
            for (String proj : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) {
                list.add(new Spec(p + "self_attn." + proj + ".weight", new long[] {s.hidden, s.hidden}, Init.NORMAL));
                list.add(new Spec(p + "self_attn." + proj + ".bias", new long[] {s.hidden}, Init.ZEROS));
            }
            list.add(new Spec(p + "self_attn_layer_norm.weight", new long[] {s.hidden}, Init.ONES));
            list.add(new Spec(p + "self_attn_layer_norm.bias", new long[] {s.hidden}, Init.ZEROS));
            list.add(new Spec(p + "fc1.weight", new long[] {s.ffn, s.hidden}, Init.NORMAL));
            list.add(new Spec(p + "fc1.bias", new long[] {s.ffn}, Init.ZEROS));
            list.add(new Spec(p + "fc2.weight", new long[] {s.hidden, s.ffn}, Init.NORMAL));
            list.add(new Spec(p + "fc2.bias", new long[] {s.hidden}, Init.ZEROS));
            list.add(new Spec(p + "final_layer_norm.weight", new long[] {s.hidden}, Init.ONES));
            list.add(new Spec(p + "final_layer_norm.bias", new long[] {s.hidden}, Init.ZEROS));
        }
        list.add(new Spec("biogpt.layer_norm.weight", new long[] {s.hidden}, Init.ONES));
        list.add(new Spec("biogpt.layer_norm.bias", new long[] {s.hidden}, Init.ZEROS));
        return list;
    }

    /** The Hub config.json of a BioGPT of these dimensions with this head, its weights stored as {@code dtype}. */
    public static void writeConfig(Dimensions s, Head head, DType dtype, Path file) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode c = om.createObjectNode();
        c.putArray("architectures").add(head.architecture());
        if (!head.labels().isEmpty()) {
            ObjectNode id2label = c.putObject("id2label");
            ObjectNode label2id = c.putObject("label2id");
            for (int i = 0; i < head.labels().size(); i++) {
                id2label.put(String.valueOf(i), head.labels().get(i));
                label2id.put(head.labels().get(i), i);
            }
        }
        c.put("model_type", "biogpt");
        c.put("vocab_size", s.vocab());
        c.put("hidden_size", s.hidden());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("intermediate_size", s.ffn());
        c.put("max_position_embeddings", s.positions());
        c.put("hidden_act", "gelu");
        c.put("layer_norm_eps", 1e-12);
        c.put("scale_embedding", true);
        c.put("initializer_range", 0.02);
        c.put("pad_token_id", 1);
        c.put("bos_token_id", 0);
        c.put("eos_token_id", 2);
        c.put("use_cache", true);
        c.put("torch_dtype", dtype == DType.F32 ? "float32" : dtype == DType.F16 ? "float16" : "bfloat16");
        om.writeValue(file.toFile(), c);
    }

    /**
     * The random tensors under their Hub names ({@code biogpt.*}), the embedding with
     * {@code vocabRows} rows; a tensor's values depend only on the seed and its place in the list,
     * so the same seed gives the same weights in either layout (extra embedding rows come last).
     */
    static LinkedHashMap<String, TensorData> tensors(ModelShape shape, int vocabRows, long seed) {
        return tensors(shape, Head.CAUSAL_LM, vocabRows, seed);
    }

    private static LinkedHashMap<String, TensorData> tensors(ModelShape shape, Head head, int vocabRows, long seed) {
        List<Spec> specs = specs(shape, vocabRows);
        int labels = head.labels().size();
        if (head.architecture().equals("BioGptForTokenClassification")) {
            specs.add(new Spec("classifier.weight", new long[] {labels, shape.hidden}, Init.NORMAL));
            specs.add(new Spec("classifier.bias", new long[] {labels}, Init.ZEROS));
        } else if (head.architecture().equals("BioGptForSequenceClassification")) {
            specs.add(new Spec("score.weight", new long[] {labels, shape.hidden}, Init.NORMAL));
        }
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        for (int t = 0; t < specs.size(); t++) {
            Spec spec = specs.get(t);
            long tensorSeed = seed * 1_000_003L + t;
            tensors.put(spec.name(), TensorData.generated(spec.shape(), values(spec.init(), tensorSeed)));
        }
        return tensors;
    }

    /** N(0, 0.02), ones or zeros; the writer reads each tensor front to back, so one stream per tensor. */
    private static TensorData.IndexedValues values(Init init, long seed) {
        if (init != Init.NORMAL) {
            float v = init == Init.ONES ? 1f : 0f;
            return (start, dst, count) -> java.util.Arrays.fill(dst, 0, count, v);
        }
        SplittableRandom[] rnd = new SplittableRandom[1];
        return (start, dst, count) -> {
            if (start == 0) {
                rnd[0] = new SplittableRandom(seed);
            }
            for (int i = 0; i < count; i++) {
                dst[i] = (float) (rnd[0].nextGaussian() * 0.02);
            }
        };
    }

    /** {@code RandomCheckpoint SHAPE OUT_DIR TOKENIZER_DIR [f32|f16|bf16] [seed]}. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: RandomCheckpoint biogpt|biogpt-large|tiny OUT_DIR TOKENIZER_DIR [f32|f16|bf16] [seed]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        long bytes = write(ModelShape.parse(args[0]), args.length > 3 ? DType.parse(args[3]) : DType.F32,
                Path.of(args[1]), Path.of(args[2]), args.length > 4 ? Long.parseLong(args[4]) : 42);
        System.out.printf(Locale.ROOT, "wrote %s (%.1f MB of weights) in %.1f s%n", args[1], bytes / 1e6,
                (System.nanoTime() - t0) / 1e9);
    }
}
