package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.model.RandomCheckpoint;
import org.biogpt.spark.jobs.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code make-random-checkpoint}: a random-weight checkpoint of a real BioGPT shape, for speed tests offline. */
@Command(name = "make-random-checkpoint", mixinStandardHelpOptions = true,
        description = {"Write a random-weight checkpoint of a real BioGPT shape: Hub layout (config.json,",
            "model.safetensors, vocab.json, merges.txt) or microsoft/BioGPT's fairseq folder layout (checkpoint.pt",
            "with a language_modeling_prompt task and an Adam state, dict.txt, bpecodes)."})
public final class MakeRandomCheckpointCommand implements Callable<Integer> {
    @Option(names = "--shape", required = true, description = "biogpt, biogpt-large or tiny.")
    String shape;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--tokenizer-from", description = "Folder with vocab.json and merges.txt to copy (default: the bundled model's).")
    Path tokenizerFrom;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--head", defaultValue = "causal-lm",
            description = "hub: causal-lm, token-classification (entities) or sequence-classification (classify) (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--labels", split = ",",
            description = "hub, with a classification head: label names in id order (default: O,B-Chemical,I-Chemical,B-Disease,I-Disease; "
                    + "sequence-classification: yes,no,maybe).")
    List<String> labels;

    @Option(names = "--layout", defaultValue = "hub", description = "hub or fairseq (default: ${DEFAULT-VALUE}).")
    String layout;

    @Mixin
    FairseqLayoutOptions fairseq;

    @Override
    public Integer call() {
        Path tok = tokenizerFrom != null ? tokenizerFrom : ProjectHome.sampleModel();
        long t0 = System.nanoTime();
        RandomCheckpoint.ModelShape modelShape = RandomCheckpoint.ModelShape.parse(shape);
        RandomCheckpoint.Head modelHead = RandomCheckpoint.Head.parse(head, labels);
        if (!layout.equals("hub") && modelHead != RandomCheckpoint.Head.CAUSAL_LM) {
            throw new IllegalArgumentException("--head " + head + " is for --layout hub (fairseq checkpoints are language models)");
        }
        long bytes;
        switch (layout) {
            case "hub" -> bytes = RandomCheckpoint.write(modelShape, modelHead, DType.parse(dtype), out, tok, seed);
            case "fairseq" -> bytes = fairseq.writer().write(modelShape, DType.parse(dtype), out, tok, seed);
            default -> throw new IllegalArgumentException("--layout is hub or fairseq, not '" + layout + "'");
        }
        System.out.printf("wrote %s (%.1f MiB %s) in %.1f s%n", out, bytes / 1048576.0,
                layout.equals("hub") ? "of weights" : "checkpoint", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
