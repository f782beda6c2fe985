package org.biogpt.spark.jobs.evaluate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of {@code evaluate} as a small aligned table for people (the JSON on stdout is for
 * programs): nested groups flattened to dotted names, fractions also shown as percentages as the
 * paper reports them.
 */
public final class MetricsTable {
    private MetricsTable() {
    }

    public static String render(Map<String, ?> metrics) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", metrics, flat);
        int width = flat.keySet().stream().mapToInt(String::length).max().orElse(6);
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(width + 24) + "\n";
        sb.append(rule).append(String.format(Locale.ROOT, "%-" + width + "s  %20s%n", "metric", "value")).append(rule);
        flat.forEach((name, value) -> sb.append(String.format(Locale.ROOT, "%-" + width + "s  %20s%n", name, format(name, value))));
        return sb.append(rule).toString();
    }

    private static void flatten(String prefix, Map<String, ?> in, Map<String, Object> out) {
        in.forEach((k, v) -> {
            String name = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> nested = (Map<String, ?>) m;
                flatten(name, nested, out);
            } else {
                out.put(name, v);
            }
        });
    }

    private static String format(String name, Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return isFraction(name) ? String.format(Locale.ROOT, "%.4f (%.2f%%)", d, 100 * d) : String.format(Locale.ROOT, "%.4f", d);
        }
        return String.valueOf(value);
    }

    private static boolean isFraction(String name) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        return leaf.equals("precision") || leaf.equals("recall") || leaf.contains("f1") || leaf.equals("accuracy");
    }
}
