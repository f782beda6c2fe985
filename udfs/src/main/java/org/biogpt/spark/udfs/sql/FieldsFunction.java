package org.biogpt.spark.udfs.sql;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.api.java.UDF2;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.SparkValueConverter;

/**
 * A SQL function of two arguments over the stages' runner, one row per call. Either both arguments
 * are the row's input fields (in {@code order}), or the second one names the task (then the task
 * is made once per distinct name by {@code taskFor}, and the first argument is the only field).
 */
final class FieldsFunction<R> implements UDF2<String, String, Object> {
    private final InferenceSettings settings;
    private final Broadcast<BioGptTokenizer> tokenizer;
    private final ModelTask<R> task;
    private final SerializableFunction<String, ModelTask<R>> taskFor;
    private final int[] order;
    private final SparkValueConverter<R> converter;
    private transient Map<String, ModelTask<R>> tasks;

    interface SerializableFunction<A, B> extends Function<A, B>, java.io.Serializable {
    }

    /** Both arguments are fields: field i of the row is argument {@code order[i]} (0 or 1). */
    static <R> FieldsFunction<R> ofFields(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer,
                                          ModelTask<R> task, int[] order, SparkValueConverter<R> converter) {
        return new FieldsFunction<>(settings, tokenizer, task, null, order, converter);
    }

    /** The first argument is the text, the second names the task. */
    static <R> FieldsFunction<R> ofTaskArgument(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer,
                                                SerializableFunction<String, ModelTask<R>> taskFor,
                                                SparkValueConverter<R> converter) {
        return new FieldsFunction<>(settings, tokenizer, null, taskFor, new int[] {0}, converter);
    }

    private FieldsFunction(InferenceSettings settings, Broadcast<BioGptTokenizer> tokenizer, ModelTask<R> task,
                           SerializableFunction<String, ModelTask<R>> taskFor, int[] order,
                           SparkValueConverter<R> converter) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.task = task;
        this.taskFor = taskFor;
        this.order = order;
        this.converter = converter;
    }

    @Override
    public Object call(String first, String second) {
        String[] args = {first, second};
        String[] fields = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            fields[i] = args[order[i]];
        }
        ModelTask<R> t = task != null ? task : taskNamed(second);
        return SingleRow.call(settings, tokenizer.value(), t, Arrays.asList(fields), converter);
    }

    private synchronized ModelTask<R> taskNamed(String name) {
        if (name == null) {
            throw new IllegalArgumentException("the task argument is null");
        }
        if (tasks == null) {
            tasks = new ConcurrentHashMap<>();
        }
        return tasks.computeIfAbsent(name, taskFor);
    }
}
