package org.biogpt.spark.udfs.partition;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.core.run.BatchRunner;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.RunListener;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.metrics.StageMetrics;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelSpec;

/**
 * What an executor needs to run a task: which checkpoint (loaded through the JVM's
 * {@link ModelCache}) and how core's runner cuts the rows.
 *
 * @param model the checkpoint and how to load it
 * @param run   batching, length limit and policy
 */
public record InferenceSettings(ModelSpec model, RunSettings run) implements Serializable {
    public InferenceSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(run, "run");
    }

    /**
     * Core's runner for a task on this executor: the model comes from the cache on first need (on the
     * task's device), and the runner's counts go to the stage's accumulators.
     *
     * @param metrics the stage's accumulators, or null (SQL functions)
     */
    public <R> BatchRunner<R> runner(BioGptTokenizer tokenizer, ModelTask<R> task, StageMetrics metrics) {
        return new BatchRunner<>(run, tokenizer, task, ModelCache.supplier(model, metrics),
                metrics == null ? RunListener.NONE : metrics);
    }
}
