package org.biogpt.spark.core.generate;

import org.biogpt.spark.core.model.NextTokens;

/**
 * A {@link StepModel} that hands every call to another one: wrappers (timing, checks) override only
 * what they observe, and every other call, the reduced greedy ones included, still reaches the
 * wrapped model's own implementation.
 */
public abstract class ForwardingStepModel implements StepModel {
    protected final StepModel inner;

    protected ForwardingStepModel(StepModel inner) {
        this.inner = inner;
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public float[][] prefill(long[][] ids, int[][] mask) {
        return inner.prefill(ids, mask);
    }

    @Override
    public float[][] step(long[] tokens) {
        return inner.step(tokens);
    }

    @Override
    public NextTokens prefillMostLikely(long[][] ids, int[][] mask) {
        return inner.prefillMostLikely(ids, mask);
    }

    @Override
    public NextTokens stepMostLikely(long[] tokens) {
        return inner.stepMostLikely(tokens);
    }

    @Override
    public void select(int[] rows) {
        inner.select(rows);
    }

    @Override
    public void close() {
        inner.close();
    }
}
