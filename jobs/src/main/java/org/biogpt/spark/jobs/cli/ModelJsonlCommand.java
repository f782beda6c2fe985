package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Writer;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.biogpt.spark.core.batch.TokenBudgetBatcher;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Option;

/**
 * Shared shape of the JSONL model commands: rows {"id", "text"} or {"id", "input_ids"} in, one
 * result row per input row out, in input order. Rows are read in chunks, sorted by length and
 * batched by a token budget; a row that cannot run (no text, too long under the default policy)
 * gets {"id", "error"} and the others go on.
 */
abstract class ModelJsonlCommand implements Callable<Integer> {
    private static final int CHUNK_ROWS = 1024;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    @Option(names = "--model", required = true,
            description = "Checkpoint directory: Hugging Face Hub layout, or a microsoft/BioGPT fairseq folder.")
    Path model;

    @Option(names = CheckpointFileOption.NAME, description = CheckpointFileOption.DESCRIPTION)
    String checkpointFile;

    @Option(names = "--input", required = true, description = "Input JSONL ({\"id\", \"text\"} or {\"id\", \"input_ids\"}), or - for stdin.")
    String input;

    @Option(names = "--output", required = true, description = "Output JSONL, or - for stdout.")
    String output;

    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-tokens-per-batch", defaultValue = "4096",
            description = "Padded tokens per forward pass (default: ${DEFAULT-VALUE}).")
    int maxTokensPerBatch;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (default: all cores).")
    int threads;

    @Option(names = "--truncate", description = "Keep the first max_position_embeddings tokens of longer inputs instead of reporting an error.")
    boolean truncate;

    /** The model path to load: --model, or the checkpoint file --checkpoint-file names in it. */
    Path modelPath() {
        return CheckpointFileOption.resolve(model, checkpointFile);
    }

    /** Name used in progress lines. */
    abstract String name();

    /** Runs one batch of token-id rows and returns one result object per row (without "id"). */
    abstract List<ObjectNode> process(BioGptModel model, List<long[]> rows);

    @Override
    public Integer call() throws Exception {
        Path model = modelPath();
        BioGptTokenizer tokenizer = BioGptTokenizer.load(model);
        ModelOptions options = ModelOptions.defaults().withThreads(threads)
                .withLengthPolicy(truncate ? LengthPolicy.TRUNCATE : LengthPolicy.ERROR);
        TokenBudgetBatcher batcher = new TokenBudgetBatcher(batchSize, maxTokensPerBatch);
        long rows = 0;
        long errors = 0;
        long start = System.nanoTime();
        long lastReport = start;
        try (BioGptModel m = BioGptModel.load(model, options);
             JsonLines.Reader in = JsonLines.reader(input);
             Writer out = JsonLines.writer(output)) {
            int maxPositions = m.config().maxPositions();
            List<JsonLines.Line> chunk = new ArrayList<>();
            while (in.hasNext() || !chunk.isEmpty()) {
                if (in.hasNext() && chunk.size() < CHUNK_ROWS) {
                    chunk.add(in.next());
                    continue;
                }
                ObjectNode[] results = new ObjectNode[chunk.size()];
                List<long[]> ids = new ArrayList<>();
                List<Integer> owners = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectNode row = chunk.get(i).json();
                    results[i] = JsonLines.MAPPER.createObjectNode();
                    results[i].set("id", row.get("id"));
                    String problem = null;
                    long[] rowIds = null;
                    try {
                        rowIds = inputIds(row, tokenizer, m.config().vocabSize());
                    } catch (IllegalArgumentException e) {
                        problem = "line " + chunk.get(i).lineNumber() + ": " + e.getMessage();
                    }
                    if (rowIds != null && rowIds.length > maxPositions) {
                        if (truncate) {
                            rowIds = Arrays.copyOf(rowIds, maxPositions);
                        } else {
                            problem = "input has " + rowIds.length + " tokens, more than max_position_embeddings "
                                    + maxPositions + " (use --truncate to keep the first " + maxPositions + ")";
                        }
                    }
                    if (problem != null) {
                        results[i].put("error", problem);
                        errors++;
                    } else {
                        ids.add(rowIds);
                        owners.add(i);
                    }
                }
                int[] lengths = ids.stream().mapToInt(a -> a.length).toArray();
                for (int[] batch : batcher.plan(lengths)) {
                    List<long[]> batchRows = new ArrayList<>();
                    for (int k : batch) {
                        batchRows.add(ids.get(k));
                    }
                    List<ObjectNode> out1 = process(m, batchRows);
                    for (int j = 0; j < batch.length; j++) {
                        results[owners.get(batch[j])].setAll(out1.get(j));
                    }
                }
                for (ObjectNode r : results) {
                    JsonLines.write(out, r);
                }
                rows += chunk.size();
                chunk.clear();
                long now = System.nanoTime();
                if (now - lastReport > PROGRESS_EVERY_NANOS) {
                    System.err.printf("%s: %d rows, %.1f rows/s%n", name(), rows, rows / ((now - start) / 1e9));
                    lastReport = now;
                }
            }
        }
        System.err.printf("%s: %d rows written (%d with errors) in %.1f s%n", name(), rows, errors,
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The row's "input_ids" as given, or its "text" tokenized (BOS first). */
    static long[] inputIds(ObjectNode row, BioGptTokenizer tokenizer, int vocabSize) {
        JsonNode given = row.get("input_ids");
        if (given != null && given.isArray()) {
            if (given.isEmpty()) {
                throw new IllegalArgumentException("\"input_ids\" is empty");
            }
            long[] ids = new long[given.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode v = given.get(i);
                if (!v.canConvertToInt() || v.asInt() < 0 || v.asInt() >= vocabSize) {
                    throw new IllegalArgumentException("\"input_ids\"[" + i + "] is not a token id of this model (vocab "
                            + vocabSize + "): " + v);
                }
                ids[i] = v.asLong();
            }
            return ids;
        }
        JsonNode text = row.get("text");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("needs a \"text\" string or an \"input_ids\" array");
        }
        int[] ids = tokenizer.encodeIds(text.asText());
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    static void putIds(ObjectNode node, long[] ids) {
        ArrayNode a = node.putArray("input_ids");
        for (long id : ids) {
            a.add(id);
        }
    }

    static void putFloats(ArrayNode a, float[] values) {
        for (float v : values) {
            a.add(v);
        }
    }
}
