package org.biogpt.spark.jobs.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.Outcome;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.partition.BatchedInference;
import org.biogpt.spark.udfs.partition.InferenceSettings;

/**
 * {@code evaluate}'s generation on Spark executors: the rows go through the partition function every
 * stage uses ({@link BatchedInference}: core's runner with the executor's cached model) with the same
 * core task and settings as the in-process path. Rows are dealt round-robin by prompt length so every
 * partition gets a similar mix of lengths, and come back in input order.
 */
public final class SparkTextGeneration {
    private SparkTextGeneration() {
    }

    /**
     * @param rows       each row's input fields
     * @param partitions partitions to spread the rows over (0 = the default parallelism)
     */
    public static List<Outcome<String>> generate(SparkSession spark, ModelSpec model, RunSettings settings,
                                                 BioGptTokenizer tokenizer, ModelTask<String> task,
                                                 List<List<String>> rows, int partitions) {
        int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        int width = rows.isEmpty() ? 0 : rows.get(0).size();
        Integer[] order = new Integer[rows.size()];
        int[] lengths = new int[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            lengths[i] = promptLength(task, tokenizer, rows.get(i), settings.lengthPolicy());
        }
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[a], lengths[b]));
        List<List<Row>> dealt = new ArrayList<>();
        for (int p = 0; p < slices; p++) {
            dealt.add(new ArrayList<>());
        }
        for (int k = 0; k < order.length; k++) {
            List<String> fields = rows.get(order[k]);
            Object[] values = new Object[width + 1];
            values[0] = order[k];
            for (int f = 0; f < width; f++) {
                values[f + 1] = fields.get(f);
            }
            dealt.get(k % slices).add(RowFactory.create(values));
        }
        List<Row> flat = new ArrayList<>(rows.size());
        dealt.forEach(flat::addAll);

        StructType schema = new StructType().add("row", DataTypes.IntegerType, false);
        int[] columns = new int[width];
        for (int f = 0; f < width; f++) {
            schema = schema.add("field" + f, DataTypes.StringType, true);
            columns[f] = f + 1;
        }
        StructType out = schema.add("text", DataTypes.StringType, true).add("error", DataTypes.StringType, true);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<BioGptTokenizer> tok = jsc.broadcast(tokenizer);
        Dataset<Row> frame = spark.createDataFrame(jsc.parallelize(flat, slices), schema);
        BatchedInference<String> function = new BatchedInference<>(new InferenceSettings(model, settings), tok, columns,
                task, text -> text, null);
        List<Outcome<String>> results = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            results.add(null);
        }
        for (Row r : frame.mapPartitions(function, Encoders.row(out)).collectAsList()) {
            int i = r.getInt(0);
            results.set(i, r.isNullAt(width + 2) ? Outcome.ok(r.getString(width + 1)) : Outcome.failed(r.getString(width + 2)));
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == null) {
                throw new IllegalStateException("no generated text came back for row " + i);
            }
        }
        return results;
    }

    /** The row's model-input length, what the partition function plans batches by (0 for a row it rejects). */
    private static int promptLength(ModelTask<String> task, BioGptTokenizer tokenizer, List<String> fields,
                                    LengthPolicy policy) {
        try {
            TextInput in = task.prepare(tokenizer, fields, () -> {
                throw new IllegalStateException("the dealing of rows needs no model limits");
            }, policy);
            return in.length();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
