package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;
import org.biogpt.spark.core.checkpoint.StateDict;

/**
 * BioGPT (Hugging Face {@code modeling_biogpt.py}) on DJL NDArrays: embeddings, pre-LayerNorm
 * decoder layers, final LayerNorm, and the heads.
 *
 * <pre>
 * x = embed_tokens[ids] · sqrt(d) + embed_positions[cumsum(mask)·mask − 1 + 2]     [B, T, d]
 * for each layer: x += attn(LN(x)); x += fc2(gelu(fc1(LN(x))))
 * h = LN(x)                                                                         [B, T, d]
 * </pre>
 *
 * Heads read h: the LM head (tied to embed_tokens, no bias) only at the positions asked for; token
 * classification at every position; sequence classification and pooling at each row's last real
 * token, taken from the attention mask.
 *
 * <p>One instance is shared by all threads (weights are read-only); every call owns its native
 * memory in a manager of its own, closed before it returns (or by {@link ForwardState#close()}).
 * Generation goes through {@link #prefill(Batch)}, which returns a {@link ForwardState} holding the
 * key/value cache.
 */
public final class BioGptModel implements AutoCloseable {
    /** The additive mask value of the reference: float32's most negative finite value, not -inf. */
    static final float MASK_MIN = -Float.MAX_VALUE;

    private final BioGptConfig config;
    private final BioGptWeights weights;
    private final ModelOptions options;
    private final float embedScale;
    private final Linears linears;
    private volatile DecodeStep javaStep;
    private volatile boolean javaStepTried;
    private final LongAdder javaSteps = new LongAdder();

    /**
     * Takes ownership of the weights (closed with the model). With {@link ModelOptions#decodeKernel()}
     * the linears' weights are also packed for the decode kernel at the first decode step (well
     * under a second, and Java heap as large as the weights; where that does not fit, decode steps
     * stay on DJL/MKL: {@link #decodeKernelRefusal()}).
     */
    public BioGptModel(BioGptWeights weights, ModelOptions options) {
        this.config = weights.config();
        this.weights = weights;
        this.options = options;
        this.embedScale = config.scaleEmbedding() ? (float) Math.sqrt(config.hiddenSize()) : 1f;
        DjlRuntime.init(options.intraOpThreads());
        this.linears = Linears.create(weights, options, DjlRuntime.threads());
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
            weights = BioGptWeights.load(state, config);
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

    /** Whether decode steps of {@code rows} rows run their linears on the Vector API kernel. */
    public boolean usesDecodeKernel(int rows) {
        return linears.forDecode().usesKernel(rows);
    }

    /** Most rows a decode step may have to run on the kernel ({@link #usesDecodeKernel}). */
    public static int decodeKernelMaxRows() {
        return Linears.MAX_KERNEL_ROWS;
    }

    /** Decode steps run in Java ({@link DecodeStep}) so far. */
    public long javaDecodeSteps() {
        return javaSteps.sum();
    }

    /** Heap bytes of the kernel's packed weights (0 before the first decode step, or when it is off). */
    public long packedWeightBytes() {
        return linears.packedBytes();
    }

    /**
     * Why decode steps do not use the kernel although it is on and available: its packed weights
     * do not fit the Java heap. Null otherwise. Decided when a decode step (or
     * {@link #usesDecodeKernel}) first asks.
     */
    public String decodeKernelRefusal() {
        return linears.forDecode().packingRefusal();
    }

    /** The Java decode step, made on first use (it needs the packed weights); null where it cannot run. */
    private DecodeStep javaDecodeStep() {
        if (!javaStepTried) {
            synchronized (this) {
                if (!javaStepTried) {
                    javaStep = DecodeStep.create(config, weights, linears.forDecode(), embedScale);
                    javaStepTried = true;
                }
            }
        }
        return javaStep;
    }

    /** The linears of a prefill-like forward, or of a decode step (which may use the kernel). */
    Linears linears(boolean decodeStep) {
        return decodeStep ? linears.forDecode() : linears;
    }

    /**
     * Sets libtorch's intra-op threads on the calling thread for a forward of {@code rows} = B·T
     * rows: 1 while the kernel's own threads run the linears (libtorch's OpenMP threads would
     * otherwise spin against them for the same cores), the configured count otherwise.
     */
    void configureThreads(long rows, boolean decodeStep) {
        DjlRuntime.configureCurrentThread(linears(decodeStep).usesKernel(rows) ? 1 : DjlRuntime.threads());
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
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);
            NDArray last = lastReal(m, h, b);
            return to2d(linears.apply(last, weights.lmHead(), null));
        }
    }

    /** LM logits at every position, [B][T][V]: the full tensor, for callers that need it all. */
    public float[][][] logits(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);
            return to3d(Ops.linear(h, weights.lmHead(), null));
        }
    }

    /** Last-token logits and next-token log-probabilities of every row's real tokens. */
    public TokenScores[] score(Batch batch) {
        Batch b = fit(batch);
        int seq = b.seqLen();
        long vocab = config.vocabSize();
        TokenScores[] out = new TokenScores[b.size()];
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);
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
                    NDArray logits = linears.apply(Ops.rows(rm, rowsIdx, flat), weights.lmHead(), null); // [n, V]
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

    /** Token-classification logits at every position, [B][T][labels]. */
    public float[][][] classifyTokens(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);
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
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);
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
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray[] emb = withEmbeddings ? new NDArray[1] : null;
            NDArray h = decode(m, b.ids(), b.mask(), null, emb);
            return new HiddenStates(to3d(h), withEmbeddings ? to3d(emb[0]) : null);
        }
    }

    /** Mean over real tokens and last real token of last_hidden_state. */
    public PooledEmbeddings embed(Batch batch) {
        Batch b = fit(batch);
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray h = decode(m, b.ids(), b.mask(), null, null);               // [B, T, d]
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
        linears.close();
        weights.close();
    }

    // ---------------------------------------------------------------- the forward pass

    /**
     * Runs new columns through the model.
     *
     * @param ids      [B][T] the new tokens
     * @param fullMask [B][S] attention mask of past + new columns (S = past + T)
     * @param cache    the past's keys/values, extended here; null for a one-shot forward
     * @param embOut   if not null, receives the input embeddings [B, T, d] in slot 0
     * @return last hidden state [B, T, d] (after the final LayerNorm), on {@code m}
     */
    NDArray decode(NDManager m, long[][] ids, int[][] fullMask, KvCache cache, NDArray[] embOut) {
        int b = ids.length;
        int t = ids[0].length;
        int s = fullMask[0].length;
        int past = s - t;
        boolean decodeStep = cache != null && past > 0;
        configureThreads((long) b * t, decodeStep);
        Linears lin = linears(decodeStep);
        // One new token per row over a cache, few rows: the whole step runs in Java (no float mask needed).
        DecodeStep javaStep = decodeStep && t == 1 && embOut == null && lin.usesKernel(b) && DecodeStep.fits(b, config, s)
                ? javaDecodeStep() : null;
        long[] flatIds = new long[b * t];
        long[] positions = new long[b * t];
        float[] mask = javaStep == null ? new float[b * t * s] : null;
        for (int r = 0; r < b; r++) {
            int real = 0;
            for (int j = 0; j < s; j++) {
                real += fullMask[r][j];
                if (j >= past) {
                    long id = ids[r][j - past];
                    if (id < 0 || id >= config.vocabSize()) {
                        throw new IllegalArgumentException("token id " + id + " (row " + r + ") is outside the vocabulary of "
                                + config.vocabSize());
                    }
                    flatIds[r * t + j - past] = id;
                    // cumsum(mask)·mask − 1 + offset: first real token → row 2, padding → row 1.
                    positions[r * t + j - past] = fullMask[r][j] == 1 ? real - 1 + BioGptConfig.POSITION_OFFSET
                            : BioGptConfig.POSITION_OFFSET - 1;
                }
            }
            if (real > config.maxPositions()) {
                throw new SequenceTooLongException(r, real, config.maxPositions());
            }
            for (int i = 0; mask != null && i < t; i++) {
                int q = past + i;
                int base = (r * t + i) * s;
                for (int j = 0; j < s; j++) {
                    mask[base + j] = j <= q && fullMask[r][j] == 1 ? 0f : MASK_MIN;
                }
            }
        }
        if (javaStep != null) {
            float[] h = javaStep.run(flatIds, positions, fullMask, cache);                // [B, d]
            javaSteps.increment();
            return Ops.filled(m, new Shape(b, 1, config.hiddenSize()), h);
        }
        NDArray x;
        try (NDArray idArr = m.create(flatIds, new Shape(b, t));
             NDArray posArr = m.create(positions, new Shape(b, t))) {
            x = Ops.rows(idArr, weights.embedTokens());                           // [B, T, d]
            if (embedScale != 1f) {
                x.muli(embedScale);
            }
            try (NDArray pos = Ops.rows(posArr, weights.embedPositions())) {
                x.addi(pos);
            }
        }
        if (embOut != null) {
            embOut[0] = x.duplicate();
        }
        try (NDArray maskArr = m.create(mask, new Shape(b, 1, t, s))) {           // [B, 1, T, S]
            for (int l = 0; l < config.numLayers(); l++) {
                DecoderLayer.forward(x, weights.layers().get(l), maskArr, cache, l, config, lin);
            }
        }
        NDArray h = Ops.layerNorm(x, weights.finalLnWeight(), weights.finalLnBias());
        x.close();
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

    static float[][] to2d(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] flat = a.toFloatArray();
        float[][] out = new float[(int) s[0]][(int) s[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * (int) s[1], out[i], 0, (int) s[1]);
        }
        return out;
    }

    static float[][][] to3d(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] flat = a.toFloatArray();
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
