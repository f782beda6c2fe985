package org.biogpt.spark.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --threads}: the model's intra-op threads, for the commands that load one. */
final class ThreadsOption {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (default: all cores).")
    int threads;
}
