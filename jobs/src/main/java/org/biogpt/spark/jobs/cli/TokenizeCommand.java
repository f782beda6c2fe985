package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenize}: JSONL {id, text} in, JSONL {id, input_ids, tokens, offsets} out. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenize texts exactly as Hugging Face BioGptTokenizer does, with character offsets.",
            "Input lines {\"id\": ..., \"text\": ...}; output lines {\"id\", \"input_ids\", \"tokens\", \"offsets\"}.",
            "A line without a text string gives {\"id\", \"error\"} instead."})
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint directory (Hub: vocab.json and merges.txt "
            + "are read; fairseq folder: dict.txt, bpecodes and the checkpoint's cfg.task).")
    Path model;

    @Option(names = CheckpointFileOption.NAME, description = CheckpointFileOption.DESCRIPTION)
    String checkpointFile;

    @Option(names = "--input", required = true, description = "Input JSONL file, or - for stdin.")
    String input;

    @Option(names = "--output", required = true, description = "Output JSONL file, or - for stdout.")
    String output;

    @Option(names = "--max-length", description = "Keep only the first N ids (BOS included).")
    Integer maxLength;

    @Override
    public Integer call() throws Exception {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(CheckpointFileOption.resolve(model, checkpointFile));
        long rows = 0;
        long errors = 0;
        try (JsonLines.Reader in = JsonLines.reader(input); Writer out = JsonLines.writer(output)) {
            while (in.hasNext()) {
                ObjectNode row = in.next().json();
                ObjectNode result = JsonLines.MAPPER.createObjectNode();
                result.set("id", row.get("id"));
                JsonNode text = row.get("text");
                if (text == null || !text.isTextual()) {
                    result.put("error", "missing or non-string \"text\"");
                    errors++;
                } else {
                    Encoding enc = tokenizer.encode(text.asText());
                    if (maxLength != null) {
                        enc = enc.truncate(maxLength);
                    }
                    putEncoding(result, enc);
                }
                JsonLines.write(out, result);
                rows++;
            }
        }
        System.err.printf("tokenize: %d rows written (%d with errors)%n", rows, errors);
        return 0;
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
