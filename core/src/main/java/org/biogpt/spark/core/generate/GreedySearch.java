package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.model.NextTokens;

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
        // Plain greedy (nothing changes the ranking) needs only each row's argmax and its
        // log-probability: the model reduces its logits where they live, and on a GPU only those
        // cross to the host. Everything else gets the full logits rows.
        boolean plain = copies == 1 && !config.doSample() && pipeline.isEmpty();

        List<Row> rows = new ArrayList<>();
        int[] expand = new int[batch.size() * copies];
        for (int p = 0; p < batch.size(); p++) {
            for (int c = 0; c < copies; c++) {
                expand[rows.size()] = p;
                SplittableRandom rng = config.doSample() ? Sampler.rowRandom(config.seed(), batch.prompts[p], c) : null;
                rows.add(new Row(p, new TokenHistory(batch.prompts[p]), rng));
            }
        }
        NextTokens chosen;
        if (plain) {
            chosen = model.prefillMostLikely(batch.ids, batch.mask);
        } else {
            float[][] prefill = model.prefill(batch.ids, batch.mask);
            float[][] logits = new float[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                logits[r] = prefill[expand[r]];
            }
            if (copies > 1) {
                model.select(expand);
            }
            chosen = choose(rows, logits, pipeline);
        }

        List<Row> live = rows;
        while (true) {
            List<Row> next = new ArrayList<>(live.size());
            int[] keep = new int[live.size()];
            for (int i = 0; i < live.size(); i++) {
                Row row = live.get(i);
                accept(row, chosen.ids()[i], chosen.logProbs()[i], budget);
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
            chosen = plain ? model.stepMostLikely(tokens) : choose(next, model.step(tokens), pipeline);
            live = next;
        }
        return results(rows, batch.size(), copies);
    }

    /** Each live row's token after the processors (argmax, or a draw), with its log-probability under the raw logits. */
    private NextTokens choose(List<Row> live, float[][] logits, LogitsPipeline pipeline) {
        int[] ids = new int[live.size()];
        float[] logProbs = new float[live.size()];
        for (int i = 0; i < ids.length; i++) {
            Row row = live.get(i);
            float logZ = LogitMath.floatLogSumExp(logits[i]);       // only the chosen token's log-prob is kept
            float[] scores = logits[i].clone();
            pipeline.apply(scores, row.history);
            ids[i] = row.random == null ? LogitMath.argmax(scores) : Sampler.sample(scores, row.random);
            logProbs[i] = logits[i][ids[i]] - logZ;
        }
        return new NextTokens(ids, logProbs);
    }

    /** Appends the chosen token and decides whether the row stops. */
    private void accept(Row row, int token, float logProb, int budget) {
        row.history.append(token, logProb);
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
