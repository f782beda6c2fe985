package org.biogpt.spark.core.generate;

import java.util.List;

/**
 * What one prompt produced: {@code num_return_sequences} sequences in the reference's order
 * (beam search: best score first; sampling: one per draw).
 */
public record GenerationResult(List<GeneratedSequence> sequences) {

    public GenerationResult {
        sequences = List.copyOf(sequences);
    }

    public GeneratedSequence best() {
        return sequences.get(0);
    }
}
