package org.biogpt.spark.core.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.SafetensorsWriter;
import org.biogpt.spark.core.checkpoint.TensorData;
import org.biogpt.spark.core.model.RandomCheckpoint;

/**
 * A small causal-LM checkpoint stored in BF16 with BioGPT's head_dim (64), so the query scale folded
 * into q's projection (1/8) keeps its weights bf16 values: d = 128 (2 heads), 2 layers, FFN 512,
 * a 1000-token vocabulary, 128 positions. Random N(0, 0.02) weights; biases random too (BioGPT's
 * are not zero); LayerNorm weights around 1.
 */
final class Bf16Slice {
    static final int HIDDEN = 128;
    static final int HEADS = 2;
    static final int LAYERS = 2;
    static final int FFN = 512;
    static final int VOCAB = 1000;
    static final int POSITIONS = 128;

    private Bf16Slice() {
    }

    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        RandomCheckpoint.writeConfig(new RandomCheckpoint.Dimensions(VOCAB, HIDDEN, LAYERS, HEADS, FFN, POSITIONS),
                RandomCheckpoint.Head.CAUSAL_LM, DType.BF16, dir.resolve("config.json"));
        SplittableRandom rnd = new SplittableRandom(64);
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
        t.put("biogpt.embed_tokens.weight", normal(rnd, 0.02, 0, VOCAB, HIDDEN));
        t.put("biogpt.embed_positions.weight", normal(rnd, 0.02, 0, POSITIONS + 2, HIDDEN));
        for (int i = 0; i < LAYERS; i++) {
            String p = "biogpt.layers." + i + ".";
            for (String proj : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) {
                t.put(p + "self_attn." + proj + ".weight", normal(rnd, 0.02, 0, HIDDEN, HIDDEN));
                t.put(p + "self_attn." + proj + ".bias", normal(rnd, 0.02, 0, HIDDEN));
            }
            t.put(p + "self_attn_layer_norm.weight", normal(rnd, 0.1, 1, HIDDEN));
            t.put(p + "self_attn_layer_norm.bias", normal(rnd, 0.02, 0, HIDDEN));
            t.put(p + "fc1.weight", normal(rnd, 0.02, 0, FFN, HIDDEN));
            t.put(p + "fc1.bias", normal(rnd, 0.02, 0, FFN));
            t.put(p + "fc2.weight", normal(rnd, 0.02, 0, HIDDEN, FFN));
            t.put(p + "fc2.bias", normal(rnd, 0.02, 0, HIDDEN));
            t.put(p + "final_layer_norm.weight", normal(rnd, 0.1, 1, HIDDEN));
            t.put(p + "final_layer_norm.bias", normal(rnd, 0.02, 0, HIDDEN));
        }
        t.put("biogpt.layer_norm.weight", normal(rnd, 0.1, 1, HIDDEN));
        t.put("biogpt.layer_norm.bias", normal(rnd, 0.02, 0, HIDDEN));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t, DType.BF16);
        return dir;
    }

    /** Prompts of different lengths (left padding in a batch), token ids below the vocabulary. */
    static List<int[]> prompts() {
        return List.of(new int[] {0, 17, 230, 5, 999}, new int[] {0, 4, 4, 812}, new int[] {0, 77},
                new int[] {0, 500, 501, 502, 503, 504, 505, 506, 507}, new int[] {0, 3});
    }

    private static TensorData normal(SplittableRandom rnd, double std, double mean, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return TensorData.of(v, shape);
    }
}
