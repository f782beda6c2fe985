package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture tensor, read from model.safetensors and from pytorch_model.bin, matches golden tensor_stats. */
class GoldenTensorStatsTest {

    static Stream<Arguments> checkpoints() {
        List<Arguments> out = new ArrayList<>();
        for (String folder : List.of("causal-lm", "causal-lm-bf16", "token-classification", "sequence-classification")) {
            out.add(Arguments.of(folder, CheckpointLoader.Format.SAFETENSORS));
            out.add(Arguments.of(folder, CheckpointLoader.Format.PYTORCH_BIN));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("checkpoints")
    void everyTensorMatchesGoldenShapeSumL2AndFirstValues(String folder, CheckpointLoader.Format format) {
        JsonNode model = Fixtures.golden().path("models").path(folder);
        JsonNode stats = model.path("tensor_stats");
        try (StateDict sd = CheckpointLoader.open(Fixtures.model(folder), format)) {
            assertEquals(expectedNames(model, format), new TreeSet<>(sd.names()));
            for (String name : sd.names()) {
                JsonNode g = stats.get(name);
                long[] shape = new long[g.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = g.path("shape").get(i).asLong();
                }
                assertArrayEquals(shape, sd.info(name).shape(), name + " shape");
                float[] v = sd.readFloats(name);
                assertEquals(sd.info(name).numel(), v.length, name + " numel");
                double sum = 0;
                double sq = 0;
                for (float x : v) {
                    sum += x;
                    sq += (double) x * x;
                }
                double gSum = g.path("sum").asDouble();
                assertEquals(gSum, sum, Math.max(1e-5 * Math.abs(gSum), 1e-9), name + " sum");
                assertEquals(g.path("l2").asDouble(), Math.sqrt(sq), 1e-6, name + " l2");
                for (int i = 0; i < 4; i++) {
                    assertEquals(g.path("first4").get(i).asDouble(), v[i], 1e-6, name + " first4[" + i + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("checkpoints")
    void storedDtypeIsTheCheckpointsOwn(String folder, CheckpointLoader.Format format) {
        JsonNode header = Fixtures.golden().path("models").path(folder).path("safetensors").path("tensors");
        try (StateDict sd = CheckpointLoader.open(Fixtures.model(folder), format)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertEquals(e.getValue().path("dtype").asText(), sd.info(e.getKey()).dtype().name(), e.getKey());
            }
        }
    }

    /** safetensors holds the tensors of its header; the .bin holds pytorch_model_bin_keys (tied key included). */
    private static Set<String> expectedNames(JsonNode model, CheckpointLoader.Format format) {
        Set<String> names = new TreeSet<>();
        if (format == CheckpointLoader.Format.SAFETENSORS) {
            model.path("safetensors").path("tensors").fieldNames().forEachRemaining(names::add);
        } else {
            model.path("pytorch_model_bin_keys").forEach(k -> names.add(k.asText()));
        }
        assertTrue(names.size() > 30, "golden lists the tensors");
        return names;
    }
}
