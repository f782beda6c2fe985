package org.biogpt.spark.jobs.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of {@code bench --task} (a picocli mixin; --docs, --batch, --threads and --spark are the bench command's). */
public final class TaskBenchOptions {
    @Option(names = "--task", paramLabel = "TASK",
            description = "End-to-end task benchmark: relations[:bc5cdr|ddi|kd-dti], qa[:pubmedqa], entities (token-classification "
                    + "checkpoint) or classify (sequence-classification checkpoint): the real documents of --input through the "
                    + "runtime the task's Spark stage uses, greedy; prints docs/s, prompt and generated tokens/s and RSS. "
                    + "tools/bench_task_hf.py runs Hugging Face on the same documents.")
    public String task;

    @Option(names = "--input", paramLabel = "FILE",
            description = "With --task: JSONL documents ({\"id\",\"title\",\"text\"}; qa: {\"id\",\"question\",\"text\"}), as "
                    + "tools/bench_task_hf.py --make-input writes them (default: sample-data/corpus/bc5cdr-test-200.jsonl, "
                    + "qa: sample-data/corpus/pubmedqa-test-200.jsonl).")
    public Path input;

    @Option(names = "--max-new-tokens", defaultValue = "64",
            description = "With --task relations|qa: most tokens generated per document (greedy, stops at eos); qa with 0 only "
                    + "scores its labels (default: ${DEFAULT-VALUE}).")
    public int maxNewTokens;

    @Option(names = "--warmup-docs",
            description = "With --task: documents of an untimed warm-up run first (printed apart; default: one batch).")
    public Integer warmupDocs;

    @Option(names = "--dump", paramLabel = "FILE",
            description = "With --task: write each document's prompt tokens, generated tokens and output as JSON lines "
                    + "(compare with tools/bench_task_hf.py --dump).")
    public Path dump;
}
