package org.biogpt.spark.jobs.cli;

import picocli.CommandLine.Option;

/** The input and output of a JSON-lines command, one output line per input line. */
final class JsonlFiles {
    @Option(names = "--input", required = true,
            description = "Input JSONL ({\"id\", \"text\"}; model commands also {\"id\", \"input_ids\"}), or - for stdin.")
    String input;

    @Option(names = "--output", required = true, description = "Output JSONL, or - for stdout.")
    String output;
}
