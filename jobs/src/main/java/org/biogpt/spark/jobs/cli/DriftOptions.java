package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import org.biogpt.spark.jobs.ProjectHome;
import picocli.CommandLine.Option;

/** {@code bench --decode-drift}: measure bf16 decode weights' drift from fp32 instead of speed, over real abstracts. */
final class DriftOptions {
    @Option(names = "--decode-drift", description = "Instead of speed: how far bf16 decode weights move logits and greedy "
            + "tokens from fp32 over real abstracts (--drift-input), per --generate-batches size and --prompt-len, "
            + "over --new-tokens steps.")
    boolean decodeDrift;

    @Option(names = "--drift-input", paramLabel = "FILE.jsonl",
            description = "Documents {\"title\", \"text\"} for --decode-drift (default: the bundled BC5CDR test sample).")
    Path driftInput;

    /** --drift-input, or the bundled BC5CDR test sample. */
    Path documents() {
        return driftInput != null ? driftInput : ProjectHome.home().resolve("sample-data/corpus/bc5cdr-test-200.jsonl");
    }
}
