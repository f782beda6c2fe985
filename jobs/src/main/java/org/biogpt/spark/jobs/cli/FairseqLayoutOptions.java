package org.biogpt.spark.jobs.cli;

import org.biogpt.spark.core.model.RandomFairseqCheckpoint;
import picocli.CommandLine.Option;

/** {@code make-random-checkpoint --layout fairseq}: what goes into microsoft/BioGPT's folder layout. */
final class FairseqLayoutOptions {
    @Option(names = "--learned-prompt", defaultValue = "9",
            description = "fairseq: learned prompt tokens of the task (default: ${DEFAULT-VALUE}).")
    int learnedPrompt;

    @Option(names = "--prefix", description = "fairseq: a prefix task (adds <seqsep> to the dictionary first).")
    boolean prefix;

    @Option(names = "--checkpoint-name", defaultValue = "checkpoint.pt",
            description = "fairseq: checkpoint file name (default: ${DEFAULT-VALUE}).")
    String checkpointName;

    @Option(names = "--source-lang", description = "fairseq: write dict.<lang>.txt instead of dict.txt.")
    String sourceLang;

    @Option(names = "--separate-head", description = "fairseq: store the output projection as its own copy (as averaged checkpoints do).")
    boolean separateHead;

    @Option(names = "--no-optimizer-state", description = "fairseq: leave out the Adam state.")
    boolean noOptimizerState;

    /** The writer of a checkpoint folder with these choices. */
    RandomFairseqCheckpoint writer() {
        return new RandomFairseqCheckpoint(learnedPrompt, prefix, checkpointName, sourceLang, !separateHead, !noOptimizerState);
    }
}
