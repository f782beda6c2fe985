package org.biogpt.spark.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * A batch in the middle of generation: the key/value cache of every column seen so far, the
 * attention mask of those columns, and the final hidden state at each row's latest real token.
 *
 * <p>Typical use by a decoder (left-padded prompts, so every row's last token is the last column):
 * <pre>{@code
 * try (ForwardState s = model.prefill(Batch.leftPadded(prompts, pad))) {
 *     float[][] logp = s.logProbs();          // [B][V] for the token after each prompt
 *     s.select(new int[] {0, 0, 1, 1});        // e.g. expand to 2 beams per prompt, or reorder
 *     s.step(new long[] {7, 9, 4, 4});         // one new token per row (attention mask 1)
 *     logp = s.logProbs();
 *     s.select(new int[] {1, 2, 3});           // drop finished row 0
 * }
 * }</pre>
 * Each forward ({@link #step}, {@link #extend}) computes only the new columns and attends over the
 * cache; the logits are the LM head at one position per row, never the whole sequence. Rows may be
 * padded on the left or the right: positions and attention come from the mask. A state is used by
 * one thread at a time and must be closed (it owns native memory).
 */
public final class ForwardState implements AutoCloseable {
    private final BioGptModel model;
    private final NDManager manager;
    private final KvCache cache;
    private int[][] mask;          // [B][S] attention mask of all columns so far
    private NDArray lastHidden;    // [B, d] final hidden state at each row's latest real token
    private boolean decoding;      // a forward has extended the prefilled cache: logits are decode-step work

    private ForwardState(BioGptModel model) {
        this.model = model;
        this.manager = model.newManager();
        this.cache = new KvCache(manager, model.config().numLayers());
    }

    /**
     * One forward over the whole batch. Padding costs nothing there: the forward computes only the
     * real tokens ({@link RealTokens}), and the cache still gets the batch's padded layout.
     */
    static ForwardState prefill(BioGptModel model, Batch batch) {
        ForwardState s = new ForwardState(model);
        try {
            s.mask = new int[batch.size()][0];
            s.run(batch.ids(), batch.mask());
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Rows in the batch now. */
    public int batchSize() {
        return mask.length;
    }

    /** Columns seen so far (padding included). */
    public int length() {
        return mask[0].length;
    }

    /** Attention mask of all columns so far, [B][S] (a copy). */
    public int[][] attentionMask() {
        int[][] out = new int[mask.length][];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i].clone();
        }
        return out;
    }

    /** LM logits for the next token of every row, [B][V]. */
    public float[][] logits() {
        long t0 = System.nanoTime();
        try {
            return logitsUntimed();
        } finally {
            recordHead(System.nanoTime() - t0);
        }
    }

    private float[][] logitsUntimed() {
        model.backend().configureThreads(batchSize(), decoding);
        try (NDManager m = manager.newSubManager()) {
            NDArray h = lastHidden.duplicate();
            h.attach(m);
            return model.backend().linears(decoding).applyRows(h, model.weights().lmHead(), null);
        }
    }

    /** log_softmax of {@link #logits()}, computed natively, [B][V]. */
    public float[][] logProbs() {
        long t0 = System.nanoTime();
        try {
            return logProbsUntimed();
        } finally {
            recordHead(System.nanoTime() - t0);
        }
    }

    private float[][] logProbsUntimed() {
        model.backend().configureThreads(batchSize(), decoding);
        try (NDManager m = manager.newSubManager()) {
            NDArray h = lastHidden.duplicate();
            h.attach(m);
            return BioGptModel.to2d(Ops.f32(model.backend().linears(decoding).apply(h, model.weights().lmHead(), null)).logSoftmax(-1));
        }
    }

    /**
     * Whether the next logits are computed on the host (the decode kernel takes this LM head), so
     * that reducing them on the device would save nothing; {@link #mostLikely()} works either way.
     */
    public boolean logitsOnHost() {
        return model.backend().linears(decoding).usesKernel(batchSize());
    }

    /**
     * Each row's most likely next token and its log-probability, reduced by libtorch where the
     * logits live (in float32): only [B] ids and [B] floats are copied to the host.
     */
    public NextTokens mostLikely() {
        long t0 = System.nanoTime();
        try {
            return mostLikelyUntimed();
        } finally {
            recordHead(System.nanoTime() - t0);
        }
    }

    private NextTokens mostLikelyUntimed() {
        model.backend().configureThreads(batchSize(), decoding);
        try (NDManager m = manager.newSubManager()) {
            NDArray h = lastHidden.duplicate();
            h.attach(m);
            NDArray logits = Ops.f32(Ops.linear(h, model.weights().lmHead(), null));          // [B, V]
            // argmax of the logits themselves (first on ties, as the Java path); log_softmax is a
            // monotone shift, so its row maximum is the chosen token's log-probability.
            long[] ids = logits.argMax(-1).toLongArray();
            float[] logProbs = logits.logSoftmax(-1).max(new int[] {-1}).toFloatArray();
            int[] out = new int[ids.length];
            for (int r = 0; r < ids.length; r++) {
                out[r] = Math.toIntExact(ids[r]);
            }
            return new NextTokens(out, logProbs);
        }
    }

    /** The final hidden state at each row's latest real token, [B][d]. */
    public float[][] lastHidden() {
        return BioGptModel.to2d(lastHidden);
    }

    /** Appends one real token per row (attention mask 1, as Hugging Face generate does). */
    public void step(long[] nextIds) {
        long[][] ids = new long[nextIds.length][1];
        int[][] m = new int[nextIds.length][1];
        for (int r = 0; r < nextIds.length; r++) {
            ids[r][0] = nextIds[r];
            m[r][0] = 1;
        }
        extend(ids, m);
    }

    /**
     * Appends several columns per row with their mask; every row needs at least one real token
     * among them (its logits then come from the last one).
     */
    public void extend(long[][] ids, int[][] newMask) {
        if (ids.length != batchSize() || newMask.length != batchSize()) {
            throw new IllegalArgumentException("expected " + batchSize() + " rows, got " + ids.length);
        }
        new Batch(ids, newMask); // shape and 0/1 checks, and one real token per row
        int[][] full = new int[batchSize()][];
        for (int r = 0; r < batchSize(); r++) {
            full[r] = Arrays.copyOf(mask[r], mask[r].length + newMask[r].length);
            System.arraycopy(newMask[r], 0, full[r], mask[r].length, newMask[r].length);
        }
        run(ids, full);
    }

    /**
     * Log-probabilities of continuing each row with its own tokens, [B][k_r], leaving the state as
     * it was: the continuation runs over the cache and is then dropped. Scoring several
     * continuations of the same prompts (label completions) this way computes the prompts once.
     * Token 0 of a row is predicted from the row's current last position, token j from
     * continuation token j − 1.
     *
     * @param tokens [B][k_r] each row's continuation, k_r ≥ 1
     */
    public float[][] continuationLogProbs(long[][] tokens) {
        if (tokens.length != batchSize()) {
            throw new IllegalArgumentException("expected " + batchSize() + " rows, got " + tokens.length);
        }
        int width = 0;
        int rest = 0;                                          // tokens predicted from the continuation itself
        long[] firstTokens = new long[tokens.length];
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r].length == 0) {
                throw new IllegalArgumentException("every row needs at least one continuation token");
            }
            width = Math.max(width, tokens[r].length);
            rest += tokens[r].length - 1;
            firstTokens[r] = tokens[r][0];
        }
        long cached = cache.length();
        try (NDManager m = manager.newSubManager()) {
            NDArray last = lastHidden.duplicate();
            last.attach(m);
            float[] first = model.pickedLogProbs(m, last, firstTokens);
            if (rest == 0) {
                float[][] out = new float[tokens.length][];
                for (int r = 0; r < tokens.length; r++) {
                    out[r] = new float[] {first[r]};
                }
                return out;                                    // one token each: nothing to run over the cache
            }
            long[][] ids = new long[tokens.length][width];
            int[][] full = new int[tokens.length][];
            for (int r = 0; r < tokens.length; r++) {
                System.arraycopy(tokens[r], 0, ids[r], 0, tokens[r].length);
                Arrays.fill(ids[r], tokens[r].length, width, tokens[r][0]);    // right padding, masked
                full[r] = Arrays.copyOf(mask[r], mask[r].length + width);
                Arrays.fill(full[r], mask[r].length, mask[r].length + tokens[r].length, 1);
            }
            // The last column predicts nothing asked for; it is run so that every row has a real column.
            NDArray h = model.forward(m, ids, full, cache, null).reshape(-1, model.config().hiddenSize());  // [B·width, d]
            long[] at = new long[rest];
            long[] next = new long[rest];
            for (int r = 0, i = 0; r < tokens.length; r++) {
                for (int j = 1; j < tokens[r].length; j++, i++) {
                    at[i] = (long) r * width + j - 1;
                    next[i] = tokens[r][j];
                }
            }
            float[] later = model.pickedLogProbs(m, Ops.rows(m, at, h), next);
            float[][] out = new float[tokens.length][];
            for (int r = 0, i = 0; r < tokens.length; r++) {
                out[r] = new float[tokens[r].length];
                out[r][0] = first[r];
                for (int j = 1; j < tokens[r].length; j++) {
                    out[r][j] = later[i++];
                }
            }
            return out;
        } finally {
            cache.truncate(cached);
        }
    }

    /**
     * Keeps the rows {@code rows} in that order: reorders beams, drops finished rows, or repeats
     * rows (expanding prompts into beams after one prefill).
     */
    public void select(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("select needs at least one row");
        }
        long[] idx = new long[rows.length];
        int[][] newMask = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= batchSize()) {
                throw new IndexOutOfBoundsException("row " + rows[i] + " of a batch of " + batchSize());
            }
            idx[i] = rows[i];
            newMask[i] = mask[rows[i]].clone();
        }
        cache.select(idx);
        NDArray picked = Ops.rows(manager, idx, lastHidden);
        lastHidden.close();
        lastHidden = picked;
        mask = newMask;
    }

    /** LM head time goes with the forward it follows: prefill's, or the decode step's. */
    private void recordHead(long nanos) {
        if (decoding) {
            model.timeRecorder().decode(nanos, 0);
        } else {
            model.timeRecorder().prefill(nanos, 0, 0);
        }
    }

    /** Native arrays the state holds now (cache, last hidden state): bounded, whatever the steps. */
    int ownedArrayCount() {
        return manager.getManagedArrays().size();
    }

    private void run(long[][] ids, int[][] fullMask) {
        int t = ids[0].length;
        int past = fullMask[0].length - t;
        try (NDManager m = manager.newSubManager()) {
            NDArray h = model.forward(m, ids, fullMask, cache, null);                  // [B, T, d]
            long[] idx = new long[ids.length];
            for (int r = 0; r < ids.length; r++) {
                int last = -1;
                for (int j = 0; j < t; j++) {
                    if (fullMask[r][past + j] == 1) {
                        last = j;
                    }
                }
                idx[r] = (long) r * t + last;
            }
            NDArray flat = h.reshape(-1, model.config().hiddenSize());
            NDArray picked = Ops.rows(manager, idx, flat);                             // [B, d]
            if (lastHidden != null) {
                lastHidden.close();
            }
            lastHidden = picked;
        }
        mask = fullMask;
        decoding |= past > 0;
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
