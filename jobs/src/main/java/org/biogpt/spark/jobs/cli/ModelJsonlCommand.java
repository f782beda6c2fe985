package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.io.JsonLines;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A JSONL model command: a thin adapter that names a core task and writes its result as JSON.
 * Rows {"id", "text"} or {"id", "input_ids"} go through core's runner with the model loaded in this
 * JVM — sorted by length, batched by a token budget, a failed batch retried row by row — and come
 * out one per input row, in input order; a row that cannot run (no text, too long under the default
 * policy, rejected by the model) gets {"id", "error"} and the others go on.
 *
 * @param <R> the core task's result
 */
abstract class ModelJsonlCommand<R> implements Callable<Integer> {
    @Option(names = "--model", required = true,
            description = "Checkpoint directory: Hugging Face Hub layout, or a microsoft/BioGPT fairseq folder.")
    Path model;

    @Mixin
    CheckpointFileOption checkpointFile;

    @Mixin
    JsonlFiles files;

    @Mixin
    BatchingOptions batching;

    @Mixin
    ThreadsOption intraOp;

    /** The model path to load: --model, or the checkpoint file --checkpoint-file names in it. */
    Path modelPath() {
        return checkpointFile.resolve(model);
    }

    /** How the command loads its model. */
    ModelOptions modelOptions() {
        return ModelOptions.defaults().withThreads(intraOp.threads);
    }

    /** Name used in progress lines. */
    abstract String name();

    /** The core task the command runs (called once the tokenizer is loaded). */
    abstract ModelTask<R> task(BioGptTokenizer tokenizer);

    /** Writes one row's result (without "id"); {@code input} is the row's model input. */
    abstract void render(ObjectNode out, TextInput input, R result, BioGptTokenizer tokenizer);

    /**
     * Loads the model on another thread while this one loads the tokenizer and checks the task's
     * options (both single-threaded work: together they take about the model's load time), runs the
     * lines, and ends with a line on stderr saying where the process's wall time went.
     */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        double jvmStart = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        Path model = modelPath();
        ModelOptions options = modelOptions();
        CompletableFuture<Timed<BioGptModel>> loading = CompletableFuture.supplyAsync(() -> Timed.of(() -> BioGptModel.load(model, options)));
        BioGptTokenizer tokenizer;
        ModelTask<R> task;
        double tokenizerSeconds;
        try {
            Timed<BioGptTokenizer> t = Timed.of(() -> BioGptTokenizer.load(model));
            tokenizer = t.value();
            tokenizerSeconds = t.seconds();
            task = task(tokenizer);
        } catch (RuntimeException e) {
            loading.thenAccept(m -> m.value().close());
            throw e;
        }
        Timed<BioGptModel> loaded = Timed.join(loading);
        RunSettings settings = batching.settings();
        try (BioGptModel m = loaded.value()) {
            BatchRunner<R> runner = new BatchRunner<>(settings, tokenizer, task, () -> m, RunListener.NONE);
            JsonlRunner<R> lines = new JsonlRunner<>(name(), runner, settings.sortWindow(), line -> input(line, tokenizer, m),
                    (out, in, result) -> render(out, in, result, tokenizer));
            lines.run(files.input, files.output);
            System.err.println(new WallTime(name(), jvmStart, loaded.seconds(), tokenizerSeconds, lines.times(), m.times(),
                    (System.nanoTime() - start) / 1e9));
        }
        return 0;
    }

    /**
     * A line's model input: its "input_ids" as given, or its "text" tokenized (BOS first); longer than
     * max_position_embeddings is an error, or with --truncate cut to its first tokens.
     */
    private Outcome<TextInput> input(JsonLines.Line line, BioGptTokenizer tokenizer, BioGptModel m) {
        int[] ids;
        try {
            ids = inputIds(line.json(), tokenizer, m.config().vocabSize());
        } catch (RuntimeException e) { // a bad field, or a text the tokenizer cannot take
            return Outcome.failed("line " + line.lineNumber() + ": " + e.getMessage());
        }
        int maxPositions = m.config().maxPositions();
        if (ids.length > maxPositions) {
            if (!batching.truncate) {
                return Outcome.failed("input has " + ids.length + " tokens, more than max_position_embeddings "
                        + maxPositions + " (use --truncate to keep the first " + maxPositions + ")");
            }
            ids = Arrays.copyOf(ids, maxPositions);
        }
        return Outcome.ok(TextInput.ofIds(ids));
    }

    /** The row's "input_ids" as given, or its "text" tokenized (BOS first). */
    static int[] inputIds(ObjectNode row, BioGptTokenizer tokenizer, int vocabSize) {
        JsonNode given = row.get("input_ids");
        if (given != null && given.isArray()) {
            if (given.isEmpty()) {
                throw new IllegalArgumentException("\"input_ids\" is empty");
            }
            int[] ids = new int[given.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode v = given.get(i);
                if (!v.canConvertToInt() || v.asInt() < 0 || v.asInt() >= vocabSize) {
                    throw new IllegalArgumentException("\"input_ids\"[" + i + "] is not a token id of this model (vocab "
                            + vocabSize + "): " + v);
                }
                ids[i] = v.asInt();
            }
            return ids;
        }
        JsonNode text = row.get("text");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("needs a \"text\" string or an \"input_ids\" array");
        }
        return tokenizer.encodeIds(text.asText());
    }

    static void putIds(ObjectNode node, int[] ids) {
        ArrayNode a = node.putArray("input_ids");
        for (int id : ids) {
            a.add((long) id);
        }
    }

    static void putFloats(ArrayNode a, float[] values) {
        for (float v : values) {
            a.add(v);
        }
    }
}
