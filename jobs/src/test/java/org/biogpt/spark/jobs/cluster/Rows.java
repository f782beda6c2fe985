package org.biogpt.spark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Row-for-row comparison of two enrich outputs given as JSON lines ordered by id. */
final class Rows {
    private Rows() {
    }

    /**
     * Same rows in the same order, every field equal; floating-point values may differ by {@code tol}
     * (rows batched with different neighbours are padded differently, which moves the last bits).
     */
    static void assertSame(List<String> want, List<String> got, double tol) throws IOException {
        assertEquals(want.size(), got.size(), "row count");
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = SampleCorpus.parse(want.get(i));
            JsonNode g = SampleCorpus.parse(got.get(i));
            String diff = diff("", w, g, tol);
            if (diff != null) {
                fail("row " + i + " (id " + w.path("id").asText() + ") differs at " + diff + "\nwant " + want.get(i)
                        + "\ngot  " + got.get(i));
            }
        }
    }

    private static String diff(String at, JsonNode w, JsonNode g, double tol) {
        if (w.isNumber() && g.isNumber() && (w.isFloatingPointNumber() || g.isFloatingPointNumber())) {
            double a = w.asDouble();
            double b = g.asDouble();
            return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a)) ? null : at + ": " + a + " vs " + b;
        }
        if (w.getNodeType() != g.getNodeType() || w.size() != g.size()) {
            return at + ": " + w + " vs " + g;
        }
        if (w.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String d = diff(at + "." + e.getKey(), e.getValue(), g.path(e.getKey()), tol);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (w.isArray()) {
            for (int i = 0; i < w.size(); i++) {
                String d = diff(at + "[" + i + "]", w.get(i), g.get(i), tol);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return w.equals(g) ? null : at + ": " + w + " vs " + g;
    }
}
