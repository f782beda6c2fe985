package org.biogpt.spark.jobs.cli;

import java.util.Locale;
import org.biogpt.spark.core.model.ForwardTimes;

/**
 * Where a JSON-lines command's wall time went, printed as its last line on stderr: the JVM's start,
 * loading (model and tokenizer side by side), tokenizing, the model's own forward work (prefill,
 * decode steps, packing the decode kernel's weights), the rest of the runner's time (decoding logic
 * over logits, batching, retries) and writing results. What is not model work is what a one-shot
 * process pays on top of the arithmetic.
 */
record WallTime(String command, double jvmStartSeconds, double modelLoadSeconds, double tokenizerLoadSeconds,
                JsonlRunner.Times lines, ForwardTimes.Snapshot model, double commandSeconds) {

    @Override
    public String toString() {
        double runnerOther = Math.max(0, lines.runSeconds() - model.modelSeconds());
        return String.format(Locale.ROOT, "%s: wall time %.1f s = JVM start %.1f s + load %.1f s (model %.1f s, tokenizer %.1f s"
                        + " beside it) + tokenize %.1f s + model %.1f s [%s] + decoding logic and batching %.1f s"
                        + " + writing %.1f s + other %.1f s",
                command, jvmStartSeconds + commandSeconds, jvmStartSeconds,
                Math.max(modelLoadSeconds, tokenizerLoadSeconds), modelLoadSeconds, tokenizerLoadSeconds,
                lines.prepareSeconds(), model.modelSeconds(), model, runnerOther, lines.writeSeconds(),
                Math.max(0, commandSeconds - Math.max(modelLoadSeconds, tokenizerLoadSeconds) - lines.prepareSeconds()
                        - lines.runSeconds() - lines.writeSeconds()));
    }
}
