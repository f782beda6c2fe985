package org.biogpt.spark.udfs.sql;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.SparkValueConverter;

/**
 * What every SQL function does per call: one row through the stages' runner, returned as
 * {@code struct<result, error>} ({@link org.biogpt.spark.udfs.values.OutputTypes#withError}): a row that
 * cannot be processed has a null result and the reason, as the stages' error column gives it.
 */
final class SingleRow {
    private SingleRow() {
    }

    static <R> Object call(InferenceSettings settings, BioGptTokenizer tokenizer, ModelTask<R> task,
                           List<String> fields, SparkValueConverter<R> converter) {
        Outcome<R> outcome = settings.runner(tokenizer, task, null).runRows(List.of(fields)).get(0);
        return outcome.isError() ? RowFactory.create(null, outcome.error())
                : RowFactory.create(converter.toSpark(outcome.result()), null);
    }
}
