package org.biogpt.spark.core.task;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of the BioGPT paper, as microsoft/BioGPT's example scripts define them, plus any
 * read from JSON. The built-ins live in {@code tasks.json} beside this class, in the same format
 * a user file takes: one object per task with the snake_case fields of {@link TaskDefinition}
 * (a JSON array, or an object with a "tasks" array).
 */
public final class TaskDefinitions {
    public static final String BC5CDR = "bc5cdr";
    public static final String KD_DTI = "kd-dti";
    public static final String DDI = "ddi";
    public static final String PUBMEDQA = "pubmedqa";
    public static final String PUBMEDQA_REASONING_FREE = "pubmedqa-reasoning-free";
    public static final String HOC = "hoc";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static final Map<String, TaskDefinition> BUILT_IN = loadBuiltIns();

    private TaskDefinitions() {
    }

    /** The built-in task of that name; an error listing the names otherwise. */
    public static TaskDefinition builtIn(String name) {
        TaskDefinition task = BUILT_IN.get(name);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; built-in tasks: " + BUILT_IN.keySet());
        }
        return task;
    }

    /** All built-in tasks by name, in a fixed order. */
    public static Map<String, TaskDefinition> builtIns() {
        return BUILT_IN;
    }

    /**
     * A task named or defined by a string: a built-in name ("bc5cdr"), a JSON definition (text
     * starting with '{' or '['; one task, or the first of an array / "tasks" list), or the path
     * of a JSON file of definitions (its first task). Errors name the spec.
     */
    public static TaskDefinition resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("task is not set; built-in tasks: " + BUILT_IN.keySet());
        }
        String s = spec.strip();
        if (BUILT_IN.containsKey(s)) {
            return BUILT_IN.get(s);
        }
        List<TaskDefinition> tasks;
        if (s.startsWith("{") || s.startsWith("[")) {
            String json = s.startsWith("{") && !s.contains("\"tasks\"") ? "[" + s + "]" : s;
            try {
                tasks = parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "task definition");
            } catch (IOException e) {
                throw new IllegalArgumentException("task definition is not valid JSON: " + e.getMessage(), e);
            }
        } else if (Files.isRegularFile(Path.of(s))) {
            tasks = read(Path.of(s));
        } else {
            throw new IllegalArgumentException("unknown task '" + s + "': not a built-in task " + BUILT_IN.keySet()
                    + ", a JSON definition or an existing definitions file");
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("task definition '" + s + "' holds no task");
        }
        return tasks.get(0);
    }

    /** Task definitions from a JSON file (see the class comment for the format). */
    public static List<TaskDefinition> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read task definitions " + file + ": " + e.getMessage(), e);
        }
    }

    static List<TaskDefinition> parse(InputStream in, String source) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        JsonNode array = root != null && root.isObject() ? root.get("tasks") : root;
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(source + ": expected a JSON array of tasks or {\"tasks\": [...]}");
        }
        List<TaskDefinition> tasks = new ArrayList<>();
        for (JsonNode node : array) {
            try {
                tasks.add(MAPPER.treeToValue(node, TaskDefinition.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": bad task " + node.path("name") + ": " + e.getMessage(), e);
            }
        }
        return tasks;
    }

    private static Map<String, TaskDefinition> loadBuiltIns() {
        try (InputStream in = TaskDefinitions.class.getResourceAsStream("tasks.json")) {
            if (in == null) {
                throw new IllegalStateException("tasks.json missing from the classpath");
            }
            Map<String, TaskDefinition> byName = new LinkedHashMap<>();
            for (TaskDefinition task : parse(in, "tasks.json")) {
                byName.put(task.name(), task);
            }
            return Collections.unmodifiableMap(byName);
        } catch (IOException e) {
            throw new IllegalStateException("built-in tasks.json unreadable", e);
        }
    }
}
