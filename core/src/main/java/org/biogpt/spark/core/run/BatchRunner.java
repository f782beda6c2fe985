package org.biogpt.spark.core.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.DjlRuntime;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Runs a {@link ModelTask} over rows of text the one way every caller does:
 * validate → tokenize → apply the length limit → sort by token length and cut into
 * {@link TokenBudgetBatcher} batches → one model call per batch → outcomes in input order.
 *
 * <p>Row-level problems never throw: a null or blank text, an input over the limit under policy
 * {@code error}, a tokenizer failure, or a row the model call rejects each become an
 * {@link Outcome} with an error. A batch that fails is retried row by row so one bad row cannot
 * take its neighbours down. Only a model that cannot be loaded fails (the whole task).
 *
 * <p>Every caller runs rows through this class: the Spark partition function and SQL functions
 * (model from the executor's cache), the CLI's JSON-lines commands and {@code evaluate} (model
 * loaded in-process). It never knows where the model comes from: it asks the supplier on first
 * need, so an all-null partition or a tokenizer-only task never loads weights.
 *
 * <p>Not thread-safe: one runner per partition, command or UDF call.
 */
public final class BatchRunner<R> {
    private final RunSettings settings;
    private final BioGptTokenizer tokenizer;
    private final ModelTask<R> task;
    private final Supplier<BioGptModel> modelSupplier;
    private final RunListener listener;
    private BioGptModel model;
    private Limits limits;

    /**
     * @param model    called once, on first need (never for tasks that need only the tokenizer)
     * @param listener told the counts of every {@link #runRows} call
     */
    public BatchRunner(RunSettings settings, BioGptTokenizer tokenizer, ModelTask<R> task,
                       Supplier<BioGptModel> model, RunListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.task = Objects.requireNonNull(task, "task");
        this.modelSupplier = Objects.requireNonNull(model, "model");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** One text per row (single-column callers). */
    public List<Outcome<R>> run(List<String> texts) {
        List<List<String>> rows = new ArrayList<>(texts.size());
        for (String t : texts) {
            rows.add(Collections.singletonList(t));
        }
        return runRows(rows);
    }

    /** Rows of input fields (one per input column, main text first), e.g. question and context. */
    public List<Outcome<R>> runRows(List<List<String>> rows) {
        List<Outcome<TextInput>> inputs = new ArrayList<>(rows.size());
        Supplier<Limits> limits = this::limits;
        for (List<String> row : rows) {
            try {
                inputs.add(Outcome.ok(task.prepare(tokenizer, row, limits, settings.lengthPolicy())));
            } catch (RowRejected e) {
                inputs.add(Outcome.failed(e.getMessage()));
            }
        }
        return runPrepared(inputs);
    }

    /**
     * Rows whose model input the caller made itself (e.g. the CLI's rows of text or token ids), or the
     * reason a row has none: batched, run and put back in input order like {@link #runRows}.
     */
    public List<Outcome<R>> runPrepared(List<Outcome<TextInput>> rows) {
        int n = rows.size();
        @SuppressWarnings("unchecked")
        Outcome<R>[] out = new Outcome[n];
        long tokens = 0;
        List<Integer> valid = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Outcome<TextInput> row = rows.get(i);
            if (row.isError()) {
                out[i] = Outcome.failed(row.error());
            } else {
                valid.add(i);
                tokens += row.result().length();
            }
        }
        int[] lengths = new int[valid.size()];
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = rows.get(valid.get(k)).result().length();
        }
        List<int[]> plan = lengths.length == 0 ? List.of()
                : new TokenBudgetBatcher(settings.batchSize(), settings.maxTokensPerBatch()).plan(lengths);
        for (int[] group : plan) {
            List<TextInput> batch = new ArrayList<>(group.length);
            int[] target = new int[group.length];
            for (int j = 0; j < group.length; j++) {
                target[j] = valid.get(group[j]);
                batch.add(rows.get(target[j]).result());
            }
            List<Outcome<R>> results = runBatch(batch);
            for (int j = 0; j < group.length; j++) {
                out[target[j]] = results.get(j);
            }
            listener.ranBatch(group.length);
        }
        listener.ranRows(n, tokens, plan.size(), Arrays.stream(out).filter(Outcome::isError).count());
        return Arrays.asList(out);
    }

    private List<Outcome<R>> runBatch(List<TextInput> batch) {
        BioGptModel m = model(); // a model that cannot be loaded fails the whole call, not its rows
        try {
            List<R> results = DjlRuntime.withThreads(settings.threads(), () -> task.run(m, tokenizer, batch));
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
            model = Objects.requireNonNull(modelSupplier.get(), "the model supplier returned null");
        }
        return model;
    }
}
