package org.biogpt.spark.core.generate;

import java.util.function.Consumer;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.NextTokens;

/**
 * {@link StepModel} over the DJL forward pass: one {@link ForwardState} (key/value cache) per
 * generate call. The model is shared and not closed here; the cache is, on the next prefill or
 * on {@link #close()}.
 */
public final class BioGptStepModel implements StepModel {
    private final BioGptModel model;
    private final Consumer<ForwardState> afterPrefill;
    private ForwardState state;

    public BioGptStepModel(BioGptModel model) {
        this(model, s -> { });
    }

    /**
     * @param afterPrefill sees each prefilled state before decoding starts (e.g. to score label
     *                     completions over the prompts' cache); it must leave the state as it found it
     */
    public BioGptStepModel(BioGptModel model, Consumer<ForwardState> afterPrefill) {
        this.model = model;
        this.afterPrefill = afterPrefill;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public float[][] prefill(long[][] ids, int[][] mask) {
        closeState();
        prefillState(ids, mask);
        return state.logits();
    }

    @Override
    public float[][] step(long[] tokens) {
        state().step(tokens);
        return state.logits();
    }

    @Override
    public NextTokens prefillMostLikely(long[][] ids, int[][] mask) {
        closeState();
        prefillState(ids, mask);
        return mostLikely();
    }

    @Override
    public NextTokens stepMostLikely(long[] tokens) {
        state().step(tokens);
        return mostLikely();
    }

    /** Reduced by libtorch where the logits are, unless the decode kernel computes them on the host anyway. */
    private NextTokens mostLikely() {
        return state.logitsOnHost() ? LogitMath.mostLikely(state.logits()) : state.mostLikely();
    }

    @Override
    public void select(int[] rows) {
        state().select(rows);
    }

    private void prefillState(long[][] ids, int[][] mask) {
        state = model.prefill(ids, mask);
        afterPrefill.accept(state);
    }

    private ForwardState state() {
        if (state == null) {
            throw new IllegalStateException("prefill first");
        }
        return state;
    }

    private void closeState() {
        if (state != null) {
            state.close();
            state = null;
        }
    }

    @Override
    public void close() {
        closeState();
    }
}
