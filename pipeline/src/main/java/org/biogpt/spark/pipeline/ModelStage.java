package org.biogpt.spark.pipeline;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.model.TaskThreads;
import org.biogpt.spark.udfs.partition.InferenceSettings;

/**
 * A stage that runs the model: adds batching ({@code batchSize}, {@code maxTokensPerBatch}),
 * {@code device} and {@code numThreads} params to {@link BioGptStage}.
 */
public abstract class ModelStage<S extends ModelStage<S>> extends BioGptStage<S> {
    private final IntParam batchSize;
    private final IntParam maxTokensPerBatch;
    private final Param<String> device;
    private final IntParam numThreads;

    protected ModelStage(String uid, String defaultOutputCol) {
        super(uid, defaultOutputCol);
        batchSize = new IntParam(this, "batchSize", "at most this many rows per model call", ParamValidators.gtEq(1));
        maxTokensPerBatch = new IntParam(this, "maxTokensPerBatch",
                "at most this many padded tokens (rows x longest row) per model call; a longer row runs alone",
                ParamValidators.gtEq(1));
        device = new Param<>(this, "device", "cpu, gpu (the GPU Spark assigned to the task; fails without one) "
                + "or auto (that GPU if any, else cpu)", new OneOf("device", List.of("cpu", "gpu", "auto")));
        numThreads = new IntParam(this, "numThreads", "libtorch intra-op threads per task; 0 = spark.task.cpus",
                ParamValidators.gtEq(0));
        setDefault(batchSize, 8);
        setDefault(maxTokensPerBatch, 4096);
        setDefault(device, "cpu");
        setDefault(numThreads, 0);
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam maxTokensPerBatch() {
        return maxTokensPerBatch;
    }

    public Param<String> device() {
        return device;
    }

    public IntParam numThreads() {
        return numThreads;
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    public S setBatchSize(int value) {
        set(batchSize, value);
        return self();
    }

    public int getMaxTokensPerBatch() {
        return (Integer) $(maxTokensPerBatch);
    }

    public S setMaxTokensPerBatch(int value) {
        set(maxTokensPerBatch, value);
        return self();
    }

    public String getDevice() {
        return $(device);
    }

    public S setDevice(String value) {
        set(device, value);
        return self();
    }

    public int getNumThreads() {
        return (Integer) $(numThreads);
    }

    public S setNumThreads(int value) {
        set(numThreads, value);
        return self();
    }

    /** The config.json architecture this stage's head needs, or null when any BioGPT checkpoint works. */
    abstract String requiredArchitecture();

    @Override
    void checkCheckpoint(DriverCheckpoint checkpoint) {
        checkpoint.requireWeights(stageName());
        if (requiredArchitecture() != null) {
            checkpoint.requireArchitecture(requiredArchitecture(), stageName());
        }
    }

    @Override
    InferenceSettings settings(SparkSession spark, DriverCheckpoint checkpoint) {
        int threads = TaskThreads.resolve(getNumThreads(), spark.sparkContext().getConf());
        ModelSpec spec = new ModelSpec(checkpoint.executorPath(), DeviceChoice.parse(getDevice()));
        return new InferenceSettings(spec, runSettings(threads));
    }

    /** The runner settings this stage's partitions use (batching, length limit and policy), with these libtorch threads. */
    public RunSettings runSettings(int threads) {
        return RunSettings.of(getBatchSize(), getMaxTokensPerBatch(), getMaxInputTokens(), lengthPolicy()).withThreads(threads);
    }

    /**
     * The core task this stage's partition function runs, built from its params: callers that run the
     * same work outside Spark (the task benchmark) get it from here, so the two cannot drift apart.
     */
    public ModelTask<?> coreTask() {
        return stageTask().task();
    }
}
