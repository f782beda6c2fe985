package org.biogpt.spark.udfs.partition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.metrics.StageMetrics;

/**
 * The partition function of every stage: streams a partition through core's {@link BatchRunner} in
 * windows of {@link RunSettings#sortWindow()} rows and appends two columns to each input
 * row — the converted result (null on error) and the error reason (null on success) — keeping
 * the input order.
 *
 * <p>Serialized into each task; it holds the broadcast tokenizer and a {@link ModelTask}, never
 * the model: the weights come from the executor's {@code ModelCache}.
 */
public final class BatchedInference<R> implements MapPartitionsFunction<Row, Row> {
    private final InferenceSettings settings;
    private final Broadcast<BioGptTokenizer> tokenizer;
    private final int[] columns;
    private final ModelTask<R> task;
    private final SparkValueConverter<R> converter;
    private final StageMetrics metrics;

    public BatchedInference(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer, int textColumn,
                            ModelTask<R> task, SparkValueConverter<R> converter, StageMetrics metrics) {
        this(settings, tokenizer, new int[] {textColumn}, task, converter, metrics);
    }

    /**
     * @param columns the input columns whose string values (null where a column index is -1 or
     *                the value is null) make a row's fields, main text first
     */
    public BatchedInference(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer, int[] columns,
                            ModelTask<R> task, SparkValueConverter<R> converter, StageMetrics metrics) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.columns = columns.clone();
        this.task = task;
        this.converter = converter;
        this.metrics = metrics;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        BatchRunner<R> runner = settings.runner(tokenizer.value(), task, metrics);
        return new Iterator<>() {
            private Iterator<Row> window = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!window.hasNext() && input.hasNext()) {
                    window = nextWindow(runner, input);
                }
                return window.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return window.next();
            }
        };
    }

    private Iterator<Row> nextWindow(BatchRunner<R> runner, Iterator<Row> input) {
        List<Row> rows = new ArrayList<>(settings.run().sortWindow());
        List<List<String>> fields = new ArrayList<>(settings.run().sortWindow());
        while (input.hasNext() && rows.size() < settings.run().sortWindow()) {
            Row r = input.next();
            rows.add(r);
            List<String> f = new ArrayList<>(columns.length);
            for (int c : columns) {
                f.add(c < 0 || r.isNullAt(c) ? null : r.getString(c));
            }
            fields.add(f);
        }
        List<Outcome<R>> outcomes = runner.runRows(fields);
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(append(rows.get(i), outcomes.get(i)));
        }
        return out.iterator();
    }

    private Row append(Row row, Outcome<R> outcome) {
        int n = row.length();
        Object[] values = new Object[n + 2];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        values[n] = outcome.isError() ? null : converter.toSpark(outcome.result());
        values[n + 1] = outcome.error();
        return RowFactory.create(values);
    }
}
