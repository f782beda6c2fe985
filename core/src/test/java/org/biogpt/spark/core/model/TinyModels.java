package org.biogpt.spark.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;
import org.biogpt.spark.core.checkpoint.StateDict;

/** The fixture models, loaded once per test JVM, and golden batches. */
final class TinyModels {
    private static final Map<String, BioGptModel> MODELS = new HashMap<>();

    private TinyModels() {
    }

    /** A fixture model by folder; "folder:bin" loads the same weights from pytorch_model.bin. */
    static synchronized BioGptModel get(String key) {
        return MODELS.computeIfAbsent(key, k -> {
            boolean bin = k.endsWith(":bin");
            Path dir = Fixtures.model(bin ? k.substring(0, k.length() - 4) : k);
            ModelOptions options = ModelOptions.defaults().withThreads(2);
            if (!bin) {
                return BioGptModel.load(dir, options);
            }
            try (StateDict state = CheckpointLoader.open(dir, CheckpointLoader.Format.PYTORCH_BIN)) {
                return new BioGptModel(BioGptWeights.load(state, BioGptConfig.load(dir)), options);
            }
        });
    }

    static Batch batch(JsonNode inputIds, JsonNode attentionMask) {
        long[][] ids = new long[inputIds.size()][];
        int[][] mask = new int[inputIds.size()][];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = Fixtures.longs(inputIds.get(r));
            mask[r] = Fixtures.ints(attentionMask.get(r));
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
