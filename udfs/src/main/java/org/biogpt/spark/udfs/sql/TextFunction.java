package org.biogpt.spark.udfs.sql;

import java.util.Collections;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.api.java.UDF1;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.SparkValueConverter;

/**
 * A SQL function over one text: the same runner the stages use, with a batch of one row. Bad rows
 * (null, empty, too long under {@code error}) give SQL NULL; the stages also say why.
 */
final class TextFunction<R> implements UDF1<String, Object> {
    private final InferenceSettings settings;
    private final Broadcast<BioGptTokenizer> tokenizer;
    private final ModelTask<R> task;
    private final SparkValueConverter<R> converter;

    TextFunction(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer, ModelTask<R> task,
                 SparkValueConverter<R> converter) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.task = task;
        this.converter = converter;
    }

    @Override
    public Object call(String text) {
        return SingleRow.call(settings, tokenizer.value(), task, Collections.singletonList(text), converter);
    }
}
