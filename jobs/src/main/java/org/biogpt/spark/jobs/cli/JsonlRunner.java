package org.biogpt.spark.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.jobs.io.JsonLines;

/**
 * The JSON-lines side of every CLI command over core's runner: lines are read in windows, each made
 * into a model input (or given its reason for having none), run through the runner — batched by
 * length, a failed batch retried row by row — and written one line per input line, in input order:
 * {@code {"id", ...result}} or {@code {"id", "error"}}.
 *
 * @param <R> the core task's result
 */
final class JsonlRunner<R> {
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    /** Writes one row's result fields (without "id") into its output object. */
    @FunctionalInterface
    interface Renderer<R> {
        void render(ObjectNode out, TextInput input, R result);
    }

    private final String name;
    private final BatchRunner<R> runner;
    private final int window;
    private final Function<JsonLines.Line, Outcome<TextInput>> prepare;
    private final Renderer<R> renderer;
    private long prepareNanos;     // reading lines into model inputs (tokenizing)
    private long runNanos;         // the runner: batching, model calls, decoding
    private long writeNanos;       // rendering and writing results

    /**
     * @param window  lines sorted and batched together at a time
     * @param prepare a line's model input, or the reason it has none
     */
    JsonlRunner(String name, BatchRunner<R> runner, int window, Function<JsonLines.Line, Outcome<TextInput>> prepare,
                Renderer<R> renderer) {
        this.name = name;
        this.runner = runner;
        this.window = window;
        this.prepare = prepare;
        this.renderer = renderer;
    }

    /** Runs every line of {@code input} ("-" = stdin) into {@code output} ("-" = stdout) and prints a summary. */
    void run(String input, String output) throws IOException {
        long rows = 0;
        long errors = 0;
        long start = System.nanoTime();
        long lastReport = start;
        try (JsonLines.Reader in = JsonLines.reader(input); Writer out = JsonLines.writer(output)) {
            List<JsonLines.Line> lines = new ArrayList<>(window);
            while (in.hasNext() || !lines.isEmpty()) {
                if (in.hasNext() && lines.size() < window) {
                    lines.add(in.next());
                    continue;
                }
                errors += write(out, lines);
                rows += lines.size();
                lines.clear();
                long now = System.nanoTime();
                if (now - lastReport > PROGRESS_EVERY_NANOS) {
                    System.err.printf("%s: %d rows, %.1f rows/s%n", name, rows, rows / ((now - start) / 1e9));
                    lastReport = now;
                }
            }
        }
        System.err.printf("%s: %d rows written (%d with errors) in %.1f s%n", name, rows, errors,
                (System.nanoTime() - start) / 1e9);
    }

    /** One window through the runner and out; returns how many rows got an error. */
    private long write(Writer out, List<JsonLines.Line> lines) throws IOException {
        long t0 = System.nanoTime();
        List<Outcome<TextInput>> inputs = new ArrayList<>(lines.size());
        lines.forEach(line -> inputs.add(prepare.apply(line)));
        long t1 = System.nanoTime();
        List<Outcome<R>> outcomes = runner.runPrepared(inputs);
        long t2 = System.nanoTime();
        prepareNanos += t1 - t0;
        runNanos += t2 - t1;
        long errors = 0;
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode row = JsonLines.MAPPER.createObjectNode();
            row.set("id", lines.get(i).json().get("id"));
            Outcome<R> outcome = outcomes.get(i);
            if (outcome.isError()) {
                row.put("error", outcome.error());
                errors++;
            } else {
                renderer.render(row, inputs.get(i).result(), outcome.result());
            }
            JsonLines.write(out, row);
        }
        writeNanos += System.nanoTime() - t2;
        return errors;
    }

    /** Seconds spent so far preparing inputs (tokenizing), in the runner (model calls included) and writing results. */
    record Times(double prepareSeconds, double runSeconds, double writeSeconds) {
    }

    Times times() {
        return new Times(prepareNanos / 1e9, runNanos / 1e9, writeNanos / 1e9);
    }
}
