package org.biogpt.spark.core.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of optional keys of a config's {@code root}, with errors that name the file ({@code source}) and the key. */
record JsonReader(JsonNode root, String source) {
    private JsonNode get(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private IllegalArgumentException bad(String key, String expected, JsonNode n) {
        return new IllegalArgumentException(source + ": " + key + " must be " + expected + ", got " + n);
    }

    Integer integer(String key, Integer fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw bad(key, "an integer", n);
        }
        return n.intValue();
    }

    long longValue(String key, long fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(key, "an integer", n);
        }
        return n.longValue();
    }

    double number(String key, double fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw bad(key, "a number", n);
        }
        return n.doubleValue();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw bad(key, "true or false", n);
        }
        return n.booleanValue();
    }

    EarlyStopping earlyStopping(String key, EarlyStopping fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
        }
        if (n.isTextual() && n.textValue().equals("never")) {
            return EarlyStopping.NEVER;
        }
        throw bad(key, "true, false or \"never\"", n);
    }

    /** An int or a list of ints (eos_token_id may be either). */
    int[] intList(String key, int[] fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (n.isIntegralNumber()) {
            return new int[] {n.intValue()};
        }
        if (!n.isArray()) {
            throw bad(key, "an integer or a list of integers", n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw bad(key, "an integer or a list of integers", n);
            }
            out[i] = n.get(i).intValue();
        }
        return out;
    }

    /** A string or a list of strings (stop_strings may be either). */
    List<String> stringList(String key, List<String> fallback) {
        JsonNode n = get(key);
        if (n == null) {
            return fallback;
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw bad(key, "a string or a list of strings", n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw bad(key, "a string or a list of strings", n);
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }
}
