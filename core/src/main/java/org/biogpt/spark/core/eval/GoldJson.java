package org.biogpt.spark.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the gold files: JSON objects keep their key order (the original's dict order). */
final class GoldJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GoldJson() {
    }

    static JsonNode readObject(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object keyed by document id");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read gold file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read gold file " + file + ": " + e.getMessage(), e);
        }
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": missing string field '" + field + "'");
        }
        return v.asText();
    }
}
