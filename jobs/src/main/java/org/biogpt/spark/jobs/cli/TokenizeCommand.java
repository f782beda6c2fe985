package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.task.TokenizeTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenize}: JSONL {id, text} in, JSONL {id, input_ids, tokens, offsets} out. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenize texts exactly as Hugging Face BioGptTokenizer does, with character offsets.",
            "Input lines {\"id\": ..., \"text\": ...}; output lines {\"id\", \"input_ids\", \"tokens\", \"offsets\"}.",
            "A line without a text string gives {\"id\", \"error\"} instead."})
public final class TokenizeCommand implements Callable<Integer> {
    /** Tokenization is per row: the runner's batches only bound how many rows are held at once. */
    private static final int ROWS_PER_CALL = 1024;

    @Option(names = "--model", required = true, description = "Checkpoint directory (Hub: vocab.json and merges.txt "
            + "are read; fairseq folder: dict.txt, bpecodes and the checkpoint's cfg.task).")
    Path model;

    @Mixin
    CheckpointFileOption checkpointFile;

    @Mixin
    JsonlFiles files;

    @Option(names = "--max-length", description = "Keep only the first N ids (BOS included).")
    Integer maxLength;

    @Override
    public Integer call() throws Exception {
        if (maxLength != null && maxLength < 0) {
            throw new IllegalArgumentException("--max-length must be >= 0, got " + maxLength);
        }
        BioGptTokenizer tokenizer = BioGptTokenizer.load(checkpointFile.resolve(model));
        RunSettings settings = RunSettings.of(ROWS_PER_CALL, Integer.MAX_VALUE, 0, LengthPolicy.TRUNCATE);
        BatchRunner<Encoding> runner = new BatchRunner<>(settings, tokenizer, new TokenizeTask(), TokenizeCommand::noModel,
                RunListener.NONE);
        new JsonlRunner<>("tokenize", runner, settings.sortWindow(), line -> input(line.json(), tokenizer),
                (out, in, enc) -> putEncoding(out, enc)).run(files.input, files.output);
        return 0;
    }

    private static BioGptModel noModel() {
        throw new IllegalStateException("tokenize reads no weights");
    }

    /** A row's encoding (any string, the empty one included), cut to --max-length ids. */
    private Outcome<TextInput> input(ObjectNode row, BioGptTokenizer tokenizer) {
        JsonNode text = row.get("text");
        if (text == null || !text.isTextual()) {
            return Outcome.failed("missing or non-string \"text\"");
        }
        Encoding enc;
        try {
            enc = tokenizer.encode(text.asText());
        } catch (RuntimeException e) {
            return Outcome.failed("tokenization failed: " + e.getMessage());
        }
        if (maxLength != null) {
            enc = enc.truncate(maxLength);
        }
        return Outcome.ok(new TextInput(text.asText(), enc));
    }

    static void putEncoding(ObjectNode result, Encoding enc) {
        ArrayNode ids = result.putArray("input_ids");
        ArrayNode tokens = result.putArray("tokens");
        ArrayNode offsets = result.putArray("offsets");
        for (int i = 0; i < enc.length(); i++) {
            ids.add(enc.ids()[i]);
            tokens.add(enc.tokens()[i]);
            offsets.addArray().add(enc.starts()[i]).add(enc.ends()[i]);
        }
    }
}
