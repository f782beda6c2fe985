package org.biogpt.spark.jobs.enrich;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.jobs.ProjectHome;

/**
 * Which checkpoint each part of the enrich job uses. {@code --model DIR} sets the default (also
 * used for token statistics); {@code --model TASK=DIR} overrides it for one task. With no
 * {@code --model} at all the bundled tiny checkpoints are used, one per head type.
 */
public final class EnrichModels {
    private final String defaultModel;
    private final Map<String, String> perTask;

    private EnrichModels(String defaultModel, Map<String, String> perTask) {
        this.defaultModel = defaultModel;
        this.perTask = perTask;
    }

    public static EnrichModels parse(List<String> specs) {
        String dflt = null;
        Map<String, String> perTask = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                if (dflt != null) {
                    throw new IllegalArgumentException("--model DIR given twice; use --model TASK=DIR for a task's own model");
                }
                dflt = s;
            } else {
                String task = s.substring(0, eq).strip();
                EnrichTask.validateModelKey(task);
                perTask.put(task, s.substring(eq + 1).strip());
            }
        }
        if (dflt == null && specs.isEmpty()) {
            Path home = ProjectHome.sampleModel().getParent();
            dflt = home.resolve("biogpt-tiny").toString();
            perTask.put("entities", home.resolve("biogpt-tiny-ner").toString());
            perTask.put("classify", home.resolve("biogpt-tiny-cls").toString());
        }
        return new EnrichModels(dflt, perTask);
    }

    /** The default checkpoint (tokenizer and max positions come from it). */
    public String defaultModel() {
        if (defaultModel == null) {
            throw new IllegalArgumentException("give a default --model DIR (used for tokenization) besides task models");
        }
        return defaultModel;
    }

    public String forTask(EnrichTask task) {
        String own = perTask.getOrDefault(task.name(), perTask.get(task.kind()));
        return own != null ? own : defaultModel();
    }

    public Map<String, String> describe(List<EnrichTask> tasks) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("default", defaultModel());
        for (EnrichTask t : tasks) {
            m.put(t.name(), forTask(t));
        }
        return m;
    }
}
