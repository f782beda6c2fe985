package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.golden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;

/**
 * The tiny Hub-layout checkpoints the stage tests name, models loaded outside Spark, golden texts and
 * mixed test documents; files, copies and golden arrays come from core's {@link org.biogpt.spark.core.Fixtures}.
 */
final class Fixtures {
    static final String TOKEN_CLS = "token-classification";
    static final String SEQUENCE_CLS = "sequence-classification";
    static final String CAUSAL_LM = "causal-lm";

    private static final Map<String, BioGptModel> DIRECT = new HashMap<>();

    private Fixtures() {
    }

    static Path model(String folder) {
        return org.biogpt.spark.core.Fixtures.model(folder);
    }

    static String path(String folder) {
        return model(folder).toString();
    }

    /** A model loaded directly through core (outside Spark and the cache), for expected values. */
    static synchronized BioGptModel direct(String folder) {
        return DIRECT.computeIfAbsent(folder, f -> BioGptModel.load(model(f), ModelOptions.defaults().withThreads(1)));
    }

    static String text(String id) {
        for (JsonNode t : golden().get("texts")) {
            if (t.get("id").asText().equals(id)) {
                return t.get("text").asText();
            }
        }
        throw new IllegalArgumentException("no golden text " + id);
    }

    static JsonNode entry(JsonNode list, String id) {
        for (JsonNode e : list) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no golden entry " + id);
    }

    /**
     * Documents of mixed lengths (2 to 128 tokens), with a null, an empty and a blank text, and one
     * over the tiny models' 128 positions, in an order that is not sorted by length.
     */
    static List<String> mixedDocuments() {
        List<String> texts = new ArrayList<>();
        for (String id : List.of("t011", "t000", "t026", "t060", "t037", "t005", "t025", "t013", "t012", "t001",
                "t021", "t009", "t033", "t034", "t027", "t002")) {
            texts.add(text(id));
        }
        texts.add(3, null);
        texts.add(7, "");
        texts.add(11, "   ");
        texts.add(14, text("t059"));
        return texts;
    }

    static long errorRows(List<String> texts) {
        return texts.stream().filter(t -> t == null || t.isBlank() || t.equals(text("t059"))).count();
    }
}
