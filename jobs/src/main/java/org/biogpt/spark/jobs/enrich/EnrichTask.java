package org.biogpt.spark.jobs.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One model task of the enrich job, parsed from {@code --tasks}: {@code entities}, {@code classify},
 * {@code embed}. {@code name} is also the output column and the key of a task-specific
 * {@code --model NAME=DIR}.
 */
public record EnrichTask(String name) {
    public static final List<String> KNOWN = List.of("entities", "classify", "embed");

    public EnrichTask {
        if (!KNOWN.contains(name)) {
            throw new IllegalArgumentException("unknown task '" + name + "' (known: " + String.join(", ", KNOWN) + ")");
        }
    }

    /** Parses a comma-separated list; blank means no model task (token statistics only). */
    public static List<EnrichTask> parseList(String spec) {
        List<EnrichTask> tasks = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return tasks;
        }
        for (String part : spec.split(",")) {
            String n = part.strip().toLowerCase(Locale.ROOT);
            if (!n.isEmpty()) {
                EnrichTask t = new EnrichTask(n);
                if (tasks.contains(t)) {
                    throw new IllegalArgumentException("task '" + n + "' listed twice in --tasks");
                }
                tasks.add(t);
            }
        }
        return tasks;
    }
}
