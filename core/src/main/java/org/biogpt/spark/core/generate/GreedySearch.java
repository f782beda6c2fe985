package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Greedy search and multinomial sampling ({@code do_sample}): one token per live row per step,
 * from the last position's logits only. A row that ends (eos, stop string, budget) leaves the
 * model's batch at once, so finished rows cost nothing.
 */
final class GreedySearch {
    private final StepModel model;
    private final GenerationConfig config;
    private final Function<int[], String> decoder;

    GreedySearch(StepModel model, GenerationConfig config, Function<int[], String> decoder) {
        this.model = model;
        this.config = config;
        this.decoder = decoder;
    }

    /** One row of the decoding batch: prompt {@code prompt}, returned sequence {@code draw}. */
    private static final class Row {
        final int prompt;
        final TokenHistory history;
        final SplittableRandom random;
        StopReason stop;

        Row(int prompt, TokenHistory history, SplittableRandom random) {
            this.prompt = prompt;
            this.history = history;
            this.random = random;
        }
    }

    List<GenerationResult> run(PaddedBatch batch) {
        int copies = config.doSample() ? config.numReturnSequences() : 1;
        int budget = config.newTokenBudget(batch.width);
        LogitsPipeline pipeline = LogitsPipeline.forConfig(config, batch.width);

        float[][] prefill = model.prefill(batch.ids, batch.mask);
        List<Row> rows = new ArrayList<>();
        int[] expand = new int[batch.size() * copies];
        for (int p = 0; p < batch.size(); p++) {
            for (int c = 0; c < copies; c++) {
                expand[rows.size()] = p;
                SplittableRandom rng = config.doSample() ? Sampler.rowRandom(config.seed(), batch.prompts[p], c) : null;
                rows.add(new Row(p, new TokenHistory(batch.prompts[p]), rng));
            }
        }
        float[][] logits = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            logits[r] = prefill[expand[r]];
        }
        if (copies > 1) {
            model.select(expand);
        }

        List<Row> live = rows;
        while (true) {
            List<Row> next = new ArrayList<>(live.size());
            int[] keep = new int[live.size()];
            for (int i = 0; i < live.size(); i++) {
                Row row = live.get(i);
                choose(row, logits[i], pipeline, budget);
                if (row.stop == null) {
                    keep[next.size()] = i;
                    next.add(row);
                }
            }
            if (next.isEmpty()) {
                break;
            }
            if (next.size() < live.size()) {
                model.select(Arrays.copyOf(keep, next.size()));
            }
            long[] tokens = new long[next.size()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = next.get(i).history.last();
            }
            logits = model.step(tokens);
            live = next;
        }
        return results(rows, batch.size(), copies);
    }

    private void choose(Row row, float[] rowLogits, LogitsPipeline pipeline, int budget) {
        float logZ = LogMath.logSumExp(rowLogits);       // only the chosen token's log-prob is kept
        float[] scores = rowLogits.clone();
        pipeline.apply(scores, row.history);
        int token = row.random == null ? LogMath.argmax(scores) : Sampler.sample(scores, row.random);
        row.history.append(token, rowLogits[token] - logZ);
        if (config.isEos(token)) {
            row.stop = StopReason.EOS;
        } else if (hitsStopString(row.history)) {
            row.stop = StopReason.STOP_STRING;
        } else if (row.history.generatedCount() >= budget) {
            row.stop = StopReason.MAX_LENGTH;
        }
    }

    private boolean hitsStopString(TokenHistory history) {
        if (config.stopStrings().isEmpty()) {
            return false;
        }
        String text = decoder.apply(history.generated());
        for (String stop : config.stopStrings()) {
            if (text.contains(stop)) {
                return true;
            }
        }
        return false;
    }

    private List<GenerationResult> results(List<Row> rows, int prompts, int copies) {
        List<GenerationResult> out = new ArrayList<>(prompts);
        for (int p = 0; p < prompts; p++) {
            List<GeneratedSequence> seqs = new ArrayList<>(copies);
            for (int c = 0; c < copies; c++) {
                Row row = rows.get(p * copies + c);
                TokenHistory h = row.history;
                double score = h.sumGeneratedLogProbs() / Math.pow(h.generatedCount(), config.lengthPenalty());
                seqs.add(new GeneratedSequence(h.generated(), h.generatedLogProbs(), score, row.stop));
            }
            out.add(new GenerationResult(seqs));
        }
        return out;
    }
}
