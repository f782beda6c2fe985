package org.biogpt.spark.jobs.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of {@code bench --spark} (a picocli mixin, so the bench command only gains the flag and a call). */
public final class SparkBenchOptions {
    @Option(names = "--stage", defaultValue = "classify",
            description = "Stage to run with --spark: classify (DocumentClassifier) or entities (EntityTagger) (default: ${DEFAULT-VALUE}).")
    public String stage;

    @Option(names = "--docs",
            description = "Documents to run: with --spark --stage the corpus is repeated to this many (default: 2000); "
                    + "with --task the first this many of --input (default: 32).")
    public Integer docs;

    /** --docs, or the given default when it was not set. */
    public int docs(int otherwise) {
        return docs != null ? docs : otherwise;
    }

    @Option(names = "--corpus", description = "JSONL corpus with a \"text\" field (default: sample-data/corpus/bc5cdr-test-200.jsonl).")
    public Path corpus;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master of the --spark run (default: ${DEFAULT-VALUE}).")
    public String master;

    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per model call, both paths (default: ${DEFAULT-VALUE}).")
    public int batchSize;

    @Option(names = "--max-tokens-per-batch", defaultValue = "4096",
            description = "Padded tokens per model call, both paths (default: ${DEFAULT-VALUE}).")
    public int maxTokensPerBatch;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds of each path; the best is reported (default: ${DEFAULT-VALUE}).")
    public int rounds;
}
