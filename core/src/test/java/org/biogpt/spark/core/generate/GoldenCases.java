package org.biogpt.spark.core.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.junit.jupiter.params.provider.Arguments;

/** The golden generation cases of both causal-LM fixtures, and the models, loaded once per JVM. */
final class GoldenCases {
    static final String F32 = "causal-lm";
    static final String BF16 = "causal-lm-bf16";
    private static final Map<String, BioGptModel> MODELS = new HashMap<>();

    private GoldenCases() {
    }

    static synchronized BioGptModel model(String folder) {
        return MODELS.computeIfAbsent(folder,
                f -> BioGptModel.load(Fixtures.model(f), ModelOptions.defaults().withThreads(2)));
    }

    static JsonNode generation(String folder) {
        JsonNode g = Fixtures.golden();
        return folder.equals(F32) ? g.get("generation") : g.get("variants").get(folder).get("generation");
    }

    /** (folder, case name) for every case of both fixtures. */
    static Stream<Arguments> all() {
        List<Arguments> out = new ArrayList<>();
        for (String folder : List.of(F32, BF16)) {
            for (JsonNode c : generation(folder).get("cases")) {
                out.add(Arguments.of(folder, c.get("name").asText()));
            }
        }
        return out.stream();
    }

    static JsonNode find(String folder, String name) {
        for (JsonNode c : generation(folder).get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name + " in " + folder);
    }

    /** The case's generate() kwargs applied over the checkpoint's own generation config. */
    static GenerationConfig config(String folder, JsonNode params) {
        GenerationConfig c = GenerationConfig.load(Fixtures.model(folder));
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) params::fields) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "max_new_tokens" -> c = c.withMaxNewTokens(v.asInt());
                case "num_beams" -> c = c.withNumBeams(v.asInt());
                case "early_stopping" -> c = c.withEarlyStopping(EarlyStopping.parse(v.asText()));
                case "length_penalty" -> c = c.withLengthPenalty(v.asDouble());
                case "num_return_sequences" -> c = c.withNumReturnSequences(v.asInt());
                case "no_repeat_ngram_size" -> c = c.withNoRepeatNgramSize(v.asInt());
                default -> throw new IllegalArgumentException("unhandled golden param " + e.getKey());
            }
        }
        return c;
    }

    /** The real prompt ids of each input row (padding removed by the attention mask when there is one). */
    static List<int[]> prompts(JsonNode c) {
        List<int[]> out = new ArrayList<>();
        JsonNode ids = c.get("input_ids");
        for (int r = 0; r < ids.size(); r++) {
            List<Integer> row = new ArrayList<>();
            for (int t = 0; t < ids.get(r).size(); t++) {
                if (!c.has("attention_mask") || c.get("attention_mask").get(r).get(t).asInt() == 1) {
                    row.add(ids.get(r).get(t).asInt());
                }
            }
            out.add(row.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** A golden new_tokens row with the pad fill after the end removed. */
    static int[] stripTrailingPads(JsonNode row, int pad) {
        int[] ids = Fixtures.ints(row);
        int end = ids.length;
        while (end > 0 && ids[end - 1] == pad) {
            end--;
        }
        return Arrays.copyOf(ids, end);
    }
}
