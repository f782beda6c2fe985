package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;
import org.biogpt.spark.core.checkpoint.StateDict;

/**
 * A BioGPT checkpoint ready to run: its config, its weights, and the heads that read the final
 * hidden state h of {@link Forward} (the forward pass itself, one file):
 * the LM head (tied to embed_tokens, no bias) only at the positions asked for; token
 * classification at every position; sequence classification and pooling at each row's last real
 * token, taken from the attention mask.
 *
 * <p>One instance is shared by all threads (weights are read-only); every call owns its native
 * memory in a manager of its own, closed before it returns (or by {@link ForwardState#close()}).
 * Generation goes through {@link #prefill(Batch)}, which returns a {@link ForwardState} holding the
 * key/value cache.
 */
public final class BioGptModel implements AutoCloseable {
    private final BioGptConfig config;
    private final BioGptWeights weights;
    private final ModelOptions options;
    private final Backend backend;
    private final Forward forward;
    private final ForwardTimes times = new ForwardTimes();

    /**
     * Takes ownership of the weights (closed with the model). With {@link ModelOptions#decodeKernel()}
     * the linears' weights are also packed for the decode kernel at the first decode step (Java heap
     * as large as the weights; where that does not fit, decode steps stay on libtorch:
     * {@link Backend#packingRefusal()}).
     */
    public BioGptModel(BioGptWeights weights, ModelOptions options) {
        this.config = weights.config();
        this.weights = weights;
        this.options = options;
        NDArray probe = weights.embedTokens();
        if (!probe.getDevice().equals(options.placement().device()) || probe.getDataType() != options.placement().compute()) {
            throw new IllegalArgumentException("weights are on " + probe.getDevice() + " in " + probe.getDataType()
                    + " but the options place the model on " + options.placement() + ": load them with that placement");
        }
        DjlRuntime.init(options.intraOpThreads());
        this.backend = new Backend(weights, options);
        this.forward = new Forward(weights, backend);
    }

    /** config.json + weights (safetensors or pytorch_model.bin, single or sharded) of a Hub checkpoint directory. */
    public static BioGptModel load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    public static BioGptModel load(Path dir, ModelOptions options) {
        BioGptConfig config = BioGptConfig.load(dir);
        DjlRuntime.init(options.intraOpThreads());
        BioGptWeights weights;
        try (StateDict state = CheckpointLoader.open(dir)) {
            weights = BioGptWeights.load(state, config, options.placement());
        }
        // The weights are copies now; the file's mappings (as large as the weights, and counted in
        // RSS) are only unmapped when their buffers are collected, so collect them now.
        System.gc();
        return new BioGptModel(weights, options);
    }

    public BioGptConfig config() {
        return config;
    }

    public BioGptWeights weights() {
        return weights;
    }

    public ModelOptions options() {
        return options;
    }

    /** A new root manager on the model's device: every native array of a call is made on one. */
    NDManager newManager() {
        return options.placement().newManager();
    }

    /** Where this model's forward time went so far (prefill-like forwards, decode steps, packing). */
    public ForwardTimes.Snapshot times() {
        return times.snapshot(weights.packed().packingNanos());
    }

    ForwardTimes timeRecorder() {
        return times;
    }

    /** Which backend runs each forward call, and why ({@link Backend}). */
    public Backend backend() {
        return backend;
    }

    // ---------------------------------------------------------------- generation entry point

    /** Runs the whole batch and keeps its key/value cache for {@link ForwardState#step(long[])}. */
    public ForwardState prefill(Batch batch) {
        return ForwardState.prefill(this, fit(batch));
    }

    public ForwardState prefill(long[][] ids, int[][] mask) {
        return prefill(new Batch(ids, mask));
    }

    // ---------------------------------------------------------------- one-shot heads

    /** LM logits after each row's last real token, [B][V]. */
    public float[][] lastLogits(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);
            NDArray last = lastReal(m, h, b);
            return to2d(Ops.linear(last, weights.lmHead(), null));
        }
    }

    /** LM logits at every position, [B][T][V]: the full tensor, for callers that need it all. */
    public float[][][] logits(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);
            return to3d(Ops.linear(h, weights.lmHead(), null));
        }
    }

    /** Last-token logits and next-token log-probabilities of every row's real tokens. */
    public TokenScores[] score(Batch batch) {
        Batch b = fit(batch);
        int seq = b.seqLen();
        long vocab = config.vocabSize();
        TokenScores[] out = new TokenScores[b.size()];
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);
            NDArray flat = h.reshape(-1, config.hiddenSize());                   // [B·T, d]
            for (int r = 0; r < b.size(); r++) {
                long[] realIds = b.realIds(r);
                int n = realIds.length;
                long[] rowsIdx = new long[n];
                for (int t = 0, i = 0; t < seq; t++) {
                    if (b.mask()[r][t] == 1) {
                        rowsIdx[i++] = (long) r * seq + t;
                    }
                }
                try (NDManager rm = m.newSubManager()) {
                    NDArray logits = Ops.f32(Ops.linear(Ops.rows(rm, rowsIdx, flat), weights.lmHead(), null)); // [n, V]
                    float[] last = logits.get(n - 1).toFloatArray();
                    float[] next = new float[n - 1];
                    if (n > 1) {
                        NDArray logp = logits.logSoftmax(-1).reshape(-1, 1);                  // [n·V, 1]
                        long[] pick = new long[n - 1];
                        for (int t = 0; t < n - 1; t++) {
                            pick[t] = t * vocab + realIds[t + 1];
                        }
                        next = Ops.rows(rm, pick, logp).toFloatArray();
                    }
                    out[r] = new TokenScores(last, next);
                }
            }
        }
        return out;
    }

    /**
     * log_softmax of the LM head at each hidden row, at token {@code ids[i]} of row i: [n] from
     * hidden [n, d], without copying [n, V] logits to the host.
     */
    float[] pickedLogProbs(NDManager m, NDArray hidden, long[] ids) {
        backend.configureThreads(ids.length, false);
        NDArray logp = Ops.f32(Ops.linear(hidden, weights.lmHead(), null)).logSoftmax(-1).reshape(-1, 1);   // [n·V, 1]
        long vocab = config.vocabSize();
        long[] pick = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            pick[i] = i * vocab + ids[i];
        }
        return Ops.rows(m, pick, logp).toFloatArray();
    }

    /** Token-classification logits at every position, [B][T][labels]. */
    public float[][][] classifyTokens(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);
            return to3d(Ops.linear(h, weights.classifierWeight(), weights.classifierBias()));
        }
    }

    /**
     * Sequence-classification logits, [B][labels]. The reference pools at column
     * {@code count(input_ids != pad) - 1}: right for right padding, a wrong position for left
     * padding. That padding bug we do not copy: the count is taken over each row's real tokens and
     * read from the row's first real column ({@link Batch#poolColumn}), so left and right padding
     * agree. What we do keep is the reference's answer for a text that itself contains a literal
     * pad token (it pools earlier): that is what a model fine-tuned with HF saw.
     */
    public float[][] classifySequences(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);
            long[] idx = new long[b.size()];
            for (int r = 0; r < b.size(); r++) {
                idx[r] = (long) r * b.seqLen() + b.poolColumn(r, config.padTokenId());
            }
            return to2d(Ops.linear(rows(m, h, idx), weights.scoreWeight(), null));
        }
    }

    /** last_hidden_state, and optionally the input embeddings (hidden_states[0]). */
    public HiddenStates hiddenStates(Batch batch, boolean withEmbeddings) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray[] emb = withEmbeddings ? new NDArray[1] : null;
            NDArray h = forward(m, b.ids(), b.mask(), null, emb);
            return new HiddenStates(to3d(h), withEmbeddings ? to3d(emb[0]) : null);
        }
    }

    /** Mean over real tokens and last real token of last_hidden_state. */
    public PooledEmbeddings embed(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = newManager()) {
            NDArray h = forward(m, b.ids(), b.mask(), null, null);               // [B, T, d]
            float[] maskF = new float[b.size() * b.seqLen()];
            for (int r = 0; r < b.size(); r++) {
                for (int t = 0; t < b.seqLen(); t++) {
                    maskF[r * b.seqLen() + t] = b.mask()[r][t];
                }
            }
            NDArray mask = m.create(maskF, new Shape(b.size(), b.seqLen(), 1));
            NDArray mean = h.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));   // [B, d]
            return new PooledEmbeddings(to2d(mean), to2d(lastReal(m, h, b)));
        }
    }

    @Override
    public void close() {
        backend.close();
        weights.close();
    }

    // ---------------------------------------------------------------- the forward pass

    /** The forward pass ({@link Forward#forward}): last hidden state [B, T, d] on {@code m}. */
    NDArray forward(NDManager m, long[][] ids, int[][] fullMask, KvCache cache, NDArray[] embOut) {
        long t0 = System.nanoTime();
        NDArray h = forward.forward(m, ids, fullMask, cache, embOut);
        long nanos = System.nanoTime() - t0;
        if (fullMask[0].length > ids[0].length) {
            times.decode(nanos, 1);
        } else {
            times.prefill(nanos, 1, RealTokens.count(fullMask));                        // the columns computed
        }
        return h;
    }

    /** Hidden state of each row's last real token: [B, d] from [B, T, d]. */
    NDArray lastReal(NDManager m, NDArray h, Batch batch) {
        int seq = batch.seqLen();
        long[] idx = new long[batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            idx[r] = (long) r * seq + batch.lastReal(r);
        }
        return rows(m, h, idx);
    }

    /** Rows of the flattened [B·T, d] hidden states at the given flat indices. */
    private NDArray rows(NDManager m, NDArray h, long[] idx) {
        try (NDArray flat = h.reshape(-1, config.hiddenSize())) {
            return Ops.rows(m, idx, flat);
        }
    }

    /** Applies the length policy: error or truncation of rows past max_position_embeddings. */
    Batch fit(Batch batch) {
        for (int r = 0; r < batch.size(); r++) {
            int n = batch.realCount(r);
            if (n > config.maxPositions()) {
                if (options.lengthPolicy() == LengthPolicy.TRUNCATE) {
                    return batch.truncateReal(config.maxPositions(), config.padTokenId());
                }
                throw new SequenceTooLongException(r, n, config.maxPositions());
            }
        }
        return batch;
    }

    /** A [n0, n1] array as Java rows (copied from the device and widened to float32 when needed). */
    static float[][] to2d(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] flat = Ops.hostFloats(a);
        float[][] out = new float[(int) s[0]][(int) s[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * (int) s[1], out[i], 0, (int) s[1]);
        }
        return out;
    }

    static float[][][] to3d(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] flat = Ops.hostFloats(a);
        int n1 = (int) s[1];
        int n2 = (int) s[2];
        float[][][] out = new float[(int) s[0]][n1][n2];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < n1; j++) {
                System.arraycopy(flat, (i * n1 + j) * n2, out[i][j], 0, n2);
            }
        }
        return out;
    }
}
