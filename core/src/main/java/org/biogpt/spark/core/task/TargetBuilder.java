package org.biogpt.spark.core.task;

import java.util.List;

/**
 * Training targets as the original {@code rebuild_data.py} writes them: clauses from the task's
 * target template joined by its separator, ended with ".". Used to turn gold annotations into
 * "perfect predictions" and to document the format a fine-tuned model emits.
 */
public final class TargetBuilder {
    private TargetBuilder() {
    }

    /** A relation target: one clause per triple ({head, relation, tail} each), in the given order. */
    public static String relations(TaskDefinition task, List<String[]> triples) {
        StringBuilder out = new StringBuilder();
        for (String[] t : triples) {
            if (out.length() > 0) {
                out.append(task.targetSeparator());
            }
            out.append(task.targetTemplate().replace("{head}", t[0]).replace("{relation}", t[1]).replace("{tail}", t[2]));
        }
        return out.append('.').toString();
    }

    /** A label target; a multi-label task's labels arrive already joined (HoC's "a|b"). */
    public static String label(TaskDefinition task, String label) {
        return task.targetTemplate().replace("{label}", label) + ".";
    }
}
