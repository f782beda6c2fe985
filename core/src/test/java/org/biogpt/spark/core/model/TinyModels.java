package org.biogpt.spark.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;

/** The fixture models, loaded once per test JVM, and helpers to read golden numbers. */
final class TinyModels {
    private static final Map<String, BioGptModel> MODELS = new HashMap<>();

    private TinyModels() {
    }

    static synchronized BioGptModel get(String folder) {
        return MODELS.computeIfAbsent(folder, f -> BioGptModel.load(Fixtures.model(f), ModelOptions.defaults().withThreads(2)));
    }

    static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asLong();
        }
        return out;
    }

    static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    static Batch batch(JsonNode inputIds, JsonNode attentionMask) {
        long[][] ids = new long[inputIds.size()][];
        int[][] mask = new int[inputIds.size()][];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = longs(inputIds.get(r));
            mask[r] = ints(attentionMask.get(r));
        }
        return new Batch(ids, mask);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
