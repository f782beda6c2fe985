package org.biogpt.spark.jobs.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/**
 * One model task of the enrich job, parsed from {@code --tasks}: {@code entities}, {@code classify},
 * {@code embed}, {@code relations:TASK} (TASK = bc5cdr, ddi, kd-dti or a JSON task-definitions file)
 * and {@code qa} (PubMedQA over the abstract, with the question of {@code --question}). {@code name}
 * (e.g. "relations:bc5cdr") is also the key of a task-specific {@code --model NAME=DIR}; a bare
 * {@code relations=DIR} applies to every relations task.
 */
public record EnrichTask(String name) {
    public static final List<String> KNOWN = List.of("entities", "classify", "embed", "relations:TASK", "qa");
    private static final List<String> KINDS = List.of("entities", "classify", "embed", "relations", "qa");

    public EnrichTask {
        int colon = name.indexOf(':');
        String kind = colon < 0 ? name : name.substring(0, colon);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown task '" + name + "' (known: " + String.join(", ", KNOWN) + ")");
        }
        if (kind.equals("relations")) {
            if (colon < 0 || name.substring(colon + 1).isBlank()) {
                throw new IllegalArgumentException("task '" + name + "' needs the relation task: relations:bc5cdr, "
                        + "relations:ddi, relations:kd-dti or relations:FILE.json");
            }
            relationTask(name.substring(colon + 1)); // unknown or non-relation tasks fail before any work
        } else if (colon >= 0) {
            throw new IllegalArgumentException("task '" + kind + "' takes no ':' argument, got '" + name + "'");
        }
    }

    /** entities, classify, embed, relations or qa. */
    public String kind() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /** The relation task of {@code relations:TASK} (null for other tasks). */
    public TaskDefinition relationTask() {
        return kind().equals("relations") ? relationTask(name.substring(name.indexOf(':') + 1)) : null;
    }

    private static TaskDefinition relationTask(String spec) {
        TaskDefinition t = TaskDefinitions.resolve(spec);
        if (t.relationSchema() == null) {
            throw new IllegalArgumentException("task 'relations:" + spec + "': '" + t.name() + "' is not a relation task");
        }
        return t;
    }

    /** The output column: entities, classification, embedding, relations_&lt;task name&gt;, answer. */
    public String column() {
        switch (kind()) {
            case "classify":
                return "classification";
            case "embed":
                return "embedding";
            case "qa":
                return "answer";
            case "relations":
                return "relations_" + relationTask().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            default:
                return name;
        }
    }

    /** Parses a comma-separated list; blank means no model task (token statistics only). */
    public static List<EnrichTask> parseList(String spec) {
        List<EnrichTask> tasks = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return tasks;
        }
        for (String part : spec.split(",")) {
            String n = part.strip();
            int colon = n.indexOf(':');
            // the task kind is case-insensitive; a relation task's argument may be a file path, kept as given
            n = colon < 0 ? n.toLowerCase(Locale.ROOT) : n.substring(0, colon).toLowerCase(Locale.ROOT) + n.substring(colon);
            if (!n.isEmpty()) {
                EnrichTask t = new EnrichTask(n);
                if (tasks.contains(t) || tasks.stream().anyMatch(o -> o.column().equals(t.column()))) {
                    throw new IllegalArgumentException("task '" + n + "' listed twice in --tasks");
                }
                tasks.add(t);
            }
        }
        return tasks;
    }

    /** Whether {@code key} may name a task in {@code --model KEY=DIR}: a task, or a bare "relations". */
    static void validateModelKey(String key) {
        if (!key.equals("relations")) {
            new EnrichTask(key);
        }
    }
}
