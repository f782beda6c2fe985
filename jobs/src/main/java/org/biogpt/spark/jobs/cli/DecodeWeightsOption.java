package org.biogpt.spark.jobs.cli;

import org.biogpt.spark.core.kernel.DecodeWeights;
import picocli.CommandLine.Option;

/** The {@code --decode-weights} option of the generating commands (generate, evaluate), one wording for both. */
final class DecodeWeightsOption {
    @Option(names = "--decode-weights", defaultValue = "fp32",
            description = "fp32 or bf16: number format of the decode kernel's packed weights. fp32 is exact; "
                    + "bf16 streams half the bytes per decode step and holds half the heap, with logits drifting from fp32's "
                    + "(docs/PERFORMANCE.md) (default: ${DEFAULT-VALUE}).")
    String decodeWeights;

    /** The format given. */
    DecodeWeights format() {
        return DecodeWeights.parse(decodeWeights);
    }
}
