package org.biogpt.spark.udfs.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.biogpt.spark.core.batch.TokenBudgetBatcher;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.device.DeviceSelector;
import org.biogpt.spark.udfs.metrics.StageMetrics;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLease;

/**
 * Runs a {@link ModelTask} over a list of texts the way every stage does:
 * validate → tokenize → apply the length limit → sort by token length and cut into
 * {@link TokenBudgetBatcher} batches → one model call per batch → outcomes in input order.
 *
 * <p>Row-level problems never throw: a null or blank text, an input over the limit under policy
 * {@code error}, a tokenizer failure, or a row the model call rejects each become an
 * {@link Outcome} with an error. A batch that fails is retried row by row so one bad row cannot
 * take its neighbours down. Only a model that cannot be loaded fails (the whole task).
 *
 * <p>Not thread-safe: one runner per partition (or per UDF call). The model comes from
 * {@link ModelCache}, acquired on first need, so an all-null partition never loads weights.
 */
public final class BatchRunner<R> {
    private final InferenceSettings settings;
    private final BioGptTokenizer tokenizer;
    private final ModelTask<R> task;
    private final StageMetrics metrics;
    private BioGptModel model;
    private Limits limits;

    /** @param metrics accumulators to add to, or null (SQL functions) */
    public BatchRunner(InferenceSettings settings, BioGptTokenizer tokenizer, ModelTask<R> task, StageMetrics metrics) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.task = task;
        this.metrics = metrics;
    }

    /** One text per row (single-column stages). */
    public List<Outcome<R>> run(List<String> texts) {
        List<List<String>> rows = new ArrayList<>(texts.size());
        for (String t : texts) {
            rows.add(Collections.singletonList(t));
        }
        return runRows(rows);
    }

    /** Rows of input fields (one per input column, main text first), e.g. question and context. */
    public List<Outcome<R>> runRows(List<List<String>> rows) {
        int n = rows.size();
        @SuppressWarnings("unchecked")
        Outcome<R>[] out = new Outcome[n];
        TextInput[] inputs = new TextInput[n];
        Supplier<Limits> limits = this::limits;
        LengthPolicy policy = settings.model().lengthPolicy();
        long tokens = 0;
        List<Integer> valid = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                inputs[i] = task.prepare(tokenizer, rows.get(i), limits, policy);
                valid.add(i);
                tokens += inputs[i].length();
            } catch (RowRejected e) {
                out[i] = Outcome.failed(e.getMessage());
            }
        }
        int[] lengths = new int[valid.size()];
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = inputs[valid.get(k)].length();
        }
        List<int[]> plan = lengths.length == 0 ? List.of()
                : new TokenBudgetBatcher(settings.batchSize(), settings.maxTokensPerBatch()).plan(lengths);
        for (int[] group : plan) {
            List<TextInput> batch = new ArrayList<>(group.length);
            int[] target = new int[group.length];
            for (int j = 0; j < group.length; j++) {
                target[j] = valid.get(group[j]);
                batch.add(inputs[target[j]]);
            }
            List<Outcome<R>> results = runBatch(batch);
            for (int j = 0; j < group.length; j++) {
                out[target[j]] = results.get(j);
            }
        }
        if (metrics != null) {
            metrics.addDocuments(n);
            metrics.addTokens(tokens);
            metrics.addBatches(plan.size());
            metrics.addErrors(Arrays.stream(out).filter(Outcome::isError).count());
        }
        return Arrays.asList(out);
    }

    private List<Outcome<R>> runBatch(List<TextInput> batch) {
        try {
            List<R> results = task.run(model(), tokenizer, batch);
            if (results.size() != batch.size()) {
                throw new IllegalStateException("task returned " + results.size() + " results for " + batch.size() + " rows");
            }
            List<Outcome<R>> out = new ArrayList<>(results.size());
            results.forEach(r -> out.add(Outcome.ok(r)));
            return out;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                return List.of(Outcome.failed("model call failed: " + e.getMessage()));
            }
            List<Outcome<R>> out = new ArrayList<>(batch.size());
            for (TextInput row : batch) {
                out.add(runBatch(List.of(row)).get(0));
            }
            return out;
        }
    }

    /** The limits rows are checked against (loads the model on first use, for its positions). */
    private Limits limits() {
        if (limits == null) {
            BioGptModel m = model();
            limits = new Limits(settings.maxInputTokens(), m == null ? Integer.MAX_VALUE : m.config().maxPositions());
        }
        return limits;
    }

    private BioGptModel model() {
        if (model == null && task.needsModel()) {
            ModelLease lease = ModelCache.acquire(settings.model(), DeviceSelector.forCurrentTask(settings.model().device()));
            if (lease.loadedByThisCall() && metrics != null) {
                metrics.addModelLoadMillis(lease.loadMillis());
            }
            model = lease.model();
        }
        return model;
    }
}
