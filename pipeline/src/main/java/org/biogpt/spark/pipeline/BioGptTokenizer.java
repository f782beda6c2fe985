package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.task.TokenizeTask;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Tokenizes a text column with the checkpoint's BioGPT tokenizer (Hugging Face parity):
 * {@code struct<ids: array<int>, tokens: array<string>, offsets: array<struct<start, end>>, length: int>},
 * BOS ({@code </s>}, span [0, 0]) first. Needs only vocab.json and merges.txt; weights are never loaded.
 * {@code maxInputTokens} &gt; 0 limits the length (error or truncate); 0 means no limit.
 */
public final class BioGptTokenizer extends BioGptStage<BioGptTokenizer> {
    /** Rows per tokenizer call: no model, so this only bounds the buffered window. */
    private static final int ROWS_PER_CALL = 1024;

    public BioGptTokenizer(String uid) {
        super(uid, "tokens");
    }

    public BioGptTokenizer() {
        this(Identifiable.randomUID("biogptTokenizer"));
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new TokenizeTask(), SparkValues::tokens, OutputTypes.TOKENS);
    }

    @Override
    InferenceSettings settings(SparkSession spark, DriverCheckpoint checkpoint) {
        ModelSpec spec = ModelSpec.cpu(checkpoint.executorPath());
        return new InferenceSettings(spec, RunSettings.of(ROWS_PER_CALL, Integer.MAX_VALUE, getMaxInputTokens(), lengthPolicy()));
    }

    @Override
    public BioGptTokenizer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<BioGptTokenizer> read() {
        return new DefaultParamsReader<>();
    }

    public static BioGptTokenizer load(String path) {
        return read().load(path);
    }
}
