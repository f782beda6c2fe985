package org.biogpt.spark.jobs.cli;

import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.RunSettings;
import picocli.CommandLine.Option;

/** How a JSON-lines model command batches its rows, and what it does with an input longer than the model's positions. */
final class BatchingOptions {
    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-tokens-per-batch", defaultValue = "4096",
            description = "Padded tokens per forward pass (default: ${DEFAULT-VALUE}).")
    int maxTokensPerBatch;

    @Option(names = "--truncate", description = "Keep the first max_position_embeddings tokens of longer inputs instead of reporting an error.")
    boolean truncate;

    /** The runner's settings: these batch bounds, the default sort window, and the length policy of --truncate. */
    RunSettings settings() {
        return RunSettings.of(batchSize, maxTokensPerBatch, 0, truncate ? LengthPolicy.TRUNCATE : LengthPolicy.ERROR);
    }
}
