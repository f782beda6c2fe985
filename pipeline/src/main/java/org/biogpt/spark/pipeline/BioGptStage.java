package org.biogpt.spark.pipeline;

import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.model.TokenizerBroadcasts;
import org.biogpt.spark.udfs.metrics.StageMetrics;
import org.biogpt.spark.udfs.partition.BatchedInference;
import org.biogpt.spark.udfs.partition.InferenceSettings;

/**
 * A stage that reads a text column and appends a result column and an error column, through the
 * partition machinery of {@code udfs} (sort by length, token-budget batches, one model per
 * executor). Subclasses give the core call ({@link #stageTask()}) and their extra params.
 *
 * <p>Rows that cannot be processed (null or blank text, too long under {@code truncation=error})
 * keep their place with a null result and the reason in {@link #getErrorCol() errorCol}.
 * Persistence stores params, modelPath included, never weights.
 *
 * @param <S> the concrete stage, so setters chain
 */
public abstract class BioGptStage<S extends BioGptStage<S>> extends Transformer implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final IntParam maxInputTokens;
    private final Param<String> truncation;
    private transient StageMetrics lastMetrics;

    protected BioGptStage(String uid, String defaultOutputCol) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "BioGPT checkpoint directory: local path, file:/hdfs:/s3a: URI, "
                + "or a name shipped with --files/--archives", NonBlank.INSTANCE);
        inputCol = new Param<>(this, "inputCol", "text column to read", NonBlank.INSTANCE);
        outputCol = new Param<>(this, "outputCol", "result column to add", NonBlank.INSTANCE);
        errorCol = new Param<>(this, "errorCol", "column for the reason a row has no result "
                + "(default: <outputCol>_error)", NonBlank.INSTANCE);
        maxInputTokens = new IntParam(this, "maxInputTokens", "longest input in tokens, BOS included; "
                + "0 = the model's max_position_embeddings", ParamValidators.gtEq(0));
        truncation = new Param<>(this, "truncation", "inputs over maxInputTokens: 'error' (row gets an error) or "
                + "'truncate' (keep the first maxInputTokens tokens)", new OneOf("truncation", List.of("error", "truncate")));
        setDefault(inputCol, "text");
        setDefault(outputCol, defaultOutputCol);
        setDefault(maxInputTokens, 0);
        setDefault(truncation, "error");
    }

    @SuppressWarnings("unchecked")
    protected final S self() {
        return (S) this;
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- params

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam maxInputTokens() {
        return maxInputTokens;
    }

    public Param<String> truncation() {
        return truncation;
    }

    public String getModelPath() {
        return $(modelPath);
    }

    public S setModelPath(String value) {
        set(modelPath, value);
        return self();
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public S setInputCol(String value) {
        set(inputCol, value);
        return self();
    }

    public String getOutputCol() {
        return $(outputCol);
    }

    public S setOutputCol(String value) {
        set(outputCol, value);
        return self();
    }

    /** The error column: set explicitly, or {@code <outputCol>_error}. */
    public String getErrorCol() {
        return isSet(errorCol) ? $(errorCol) : getOutputCol() + "_error";
    }

    public S setErrorCol(String value) {
        set(errorCol, value);
        return self();
    }

    public int getMaxInputTokens() {
        return (Integer) $(maxInputTokens);
    }

    public S setMaxInputTokens(int value) {
        set(maxInputTokens, value);
        return self();
    }

    public String getTruncation() {
        return $(truncation);
    }

    public S setTruncation(String value) {
        set(truncation, value);
        return self();
    }

    /**
     * Counters of the last {@link #transform}: what was counted since it was called (filled in as its
     * result is computed); null before. The stage keeps one set of accumulators per SparkContext.
     */
    public StageMetrics lastMetrics() {
        return lastMetrics;
    }

    // ---------------------------------------------------------------- what subclasses provide

    /** The core call, its Spark value and column type. */
    abstract StageTask<?> stageTask();

    /** Settings of the partition function (model spec, batching) for this session and checked checkpoint. */
    abstract InferenceSettings settings(SparkSession spark, DriverCheckpoint checkpoint);

    /** Driver-side checks of the checkpoint before any task runs (e.g. the head a stage needs). */
    void checkCheckpoint(DriverCheckpoint checkpoint) {
    }

    /** Checks of further input columns and params, before the output schema is made (none by default). */
    void checkInputs(StructType schema) {
    }

    /**
     * The columns whose values make a row's input fields, main text first; -1 for an optional
     * column that is not set (its field is null). Default: the text column alone.
     */
    int[] inputColumns(StructType schema) {
        return new int[] {schema.fieldIndex(getInputCol())};
    }

    /** Index of an optional string column param, or -1 when it is not set. */
    final int optionalColumn(StructType schema, Param<String> param) {
        return isDefined(param) ? schema.fieldIndex($(param)) : -1;
    }

    protected final LengthPolicy lengthPolicy() {
        return getTruncation().equals("truncate") ? LengthPolicy.TRUNCATE : LengthPolicy.ERROR;
    }

    protected final String stageName() {
        return getClass().getSimpleName() + " " + uid;
    }

    // ---------------------------------------------------------------- schema and transform

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelPath)) {
            throw new IllegalArgumentException(stageName() + ": param modelPath is not set");
        }
        SchemaChecks.requireColumn(schema, "inputCol", getInputCol(), DataTypes.StringType, stageName());
        checkInputs(schema);
        SchemaChecks.requireAbsent(schema, "outputCol", getOutputCol(), stageName());
        SchemaChecks.requireAbsent(schema, "errorCol", getErrorCol(), stageName());
        if (getOutputCol().equals(getErrorCol())) {
            throw new IllegalArgumentException(stageName() + ": outputCol and errorCol are both '" + getOutputCol() + "'");
        }
        return schema.add(getOutputCol(), stageTask().outputType(), true)
                .add(getErrorCol(), DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        DriverCheckpoint checkpoint = DriverCheckpoint.open(getModelPath());
        checkCheckpoint(checkpoint);
        Broadcast<BioGptTokenizer> tokenizer = TokenizerBroadcasts.get(spark.sparkContext(), checkpoint);
        StageMetrics metrics = StageMetrics.register(spark.sparkContext(), "biogpt." + getClass().getSimpleName() + "." + uid);
        lastMetrics = metrics;
        int[] columns = inputColumns(dataset.schema());
        return dataset.toDF().mapPartitions(
                partitionFunction(stageTask(), settings(spark, checkpoint), tokenizer, columns, metrics), Encoders.row(out));
    }

    private static <R> BatchedInference<R> partitionFunction(StageTask<R> t, InferenceSettings settings,
                                                             Broadcast<BioGptTokenizer> tokenizer, int[] columns,
                                                             StageMetrics metrics) {
        return new BatchedInference<>(settings, tokenizer, columns, t.task(), t.converter(), metrics);
    }
}
