package org.biogpt.spark.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated texts to score, in one of two formats: JSON Lines of {"id", "prediction"}, or the
 * original's plain text (one generated text per line, in test-file order, as many lines as
 * documents). A file whose first non-blank line is a JSON object with "prediction" is JSONL.
 *
 * @param texts   aligned with the evaluation set's ids; null where JSONL gave no prediction
 * @param missing documents without a prediction (JSONL only)
 * @param unknown JSONL ids that are not documents of the set (ignored)
 */
public record Predictions(List<String> texts, int missing, int unknown) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Predictions read(Path file, List<String> ids) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read predictions " + file + ": " + e.getMessage(), e);
        }
        return isJsonLines(lines) ? fromJsonLines(file, lines, ids) : fromPlainText(file, lines, ids);
    }

    private static boolean isJsonLines(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = MAPPER.readTree(line);
                return node != null && node.isObject() && node.has("prediction");
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static Predictions fromJsonLines(Path file, List<String> lines, List<String> ids) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        String[] texts = new String[ids.size()];
        int unknown = 0;
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(lines.get(n));
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": not JSON: " + e.getMessage(), e);
            }
            JsonNode id = node.get("id");
            JsonNode prediction = node.get("prediction");
            if (id == null || prediction == null || !prediction.isTextual() || !(id.isTextual() || id.isIntegralNumber())) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected {\"id\": string|int, \"prediction\": string}");
            }
            Integer i = index.get(id.asText());
            if (i == null) {
                unknown++;
            } else if (texts[i] != null) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": second prediction for id " + id.asText());
            } else {
                texts[i] = prediction.asText();
            }
        }
        int missing = (int) Arrays.stream(texts).filter(t -> t == null).count();
        return new Predictions(Arrays.asList(texts), missing, unknown);
    }

    private static Predictions fromPlainText(Path file, List<String> lines, List<String> ids) {
        if (lines.size() != ids.size()) {
            throw new IllegalArgumentException(file + ": " + lines.size() + " lines, but the test set has "
                    + ids.size() + " documents (plain-text predictions are one line per document, in file order)");
        }
        return new Predictions(new ArrayList<>(lines), 0, 0);
    }
}
