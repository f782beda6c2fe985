package org.biogpt.spark.udfs.sql;

import java.util.List;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.partition.BatchRunner;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.Outcome;
import org.biogpt.spark.udfs.partition.SparkValueConverter;

/** What every SQL function does per call: one row through the stages' runner; a row error is SQL NULL. */
final class SingleRow {
    private SingleRow() {
    }

    static <R> Object call(InferenceSettings settings, BioGptTokenizer tokenizer, ModelTask<R> task,
                           List<String> fields, SparkValueConverter<R> converter) {
        Outcome<R> outcome = new BatchRunner<>(settings, tokenizer, task, null).runRows(List.of(fields)).get(0);
        return outcome.isError() ? null : converter.toSpark(outcome.result());
    }
}
