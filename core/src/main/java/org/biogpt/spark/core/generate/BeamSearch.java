package org.biogpt.spark.core.generate;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.math.LogitMath;

/**
 * Beam search as Hugging Face's {@code _beam_search} + {@code BeamSearchScorer} (4.40): the
 * prompt is computed once and its cache rows copied to the beams, every step takes the top
 * max(2, 1 + #eos) x num_beams candidates over beams x vocabulary, an eos among the first
 * num_beams candidates closes a hypothesis, and a prompt whose hypotheses are final leaves the
 * model's batch.
 */
final class BeamSearch {
    private final StepModel model;
    private final GenerationConfig config;

    BeamSearch(StepModel model, GenerationConfig config) {
        this.model = model;
        this.config = config;
    }

    /** One prompt's running beams and finished hypotheses. */
    private static final class Entry {
        final BeamHypotheses hypotheses;
        TokenHistory[] beams;
        float[] beamScores;

        Entry(BeamHypotheses hypotheses, TokenHistory[] beams, float[] beamScores) {
            this.hypotheses = hypotheses;
            this.beams = beams;
            this.beamScores = beamScores;
        }
    }

    List<GenerationResult> run(PaddedBatch batch) {
        int beams = config.numBeams();
        int budget = config.newTokenBudget(batch.width);
        int vocab = model.vocabSize();
        int candidates = Math.max(2, 1 + config.eosTokenIds().length) * beams;
        LogitsPipeline pipeline = LogitsPipeline.forConfig(config, batch.width);

        float[][] prefill = model.prefill(batch.ids, batch.mask);
        List<Entry> entries = new ArrayList<>();
        int[] expand = new int[batch.size() * beams];
        float[][] logits = new float[expand.length][];
        for (int p = 0; p < batch.size(); p++) {
            TokenHistory[] histories = new TokenHistory[beams];
            float[] scores = new float[beams];
            for (int k = 0; k < beams; k++) {
                histories[k] = new TokenHistory(batch.prompts[p]);
                // Only the first beam is live at first, or the top-k would pick one token num_beams times.
                scores[k] = k == 0 ? 0f : -1e9f;
                expand[p * beams + k] = p;
                logits[p * beams + k] = prefill[p];
            }
            entries.add(new Entry(new BeamHypotheses(beams, config.lengthPenalty(), config.earlyStopping(), budget),
                    histories, scores));
        }
        model.select(expand);

        List<Entry> live = entries;
        float[] topScores = new float[candidates];
        int[] topIndices = new int[candidates];
        for (int generated = 1; ; generated++) {
            boolean lastStep = generated >= budget;
            List<Entry> next = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int e = 0; e < live.size(); e++) {
                Entry entry = live.get(e);
                float[][] logProbs = new float[beams][];
                TopN top = new TopN(candidates);
                for (int k = 0; k < beams; k++) {
                    logProbs[k] = LogitMath.logSoftmax(logits[e * beams + k]);
                    float[] scores = logProbs[k].clone();
                    pipeline.apply(scores, entry.beams[k]);
                    float beamScore = entry.beamScores[k];
                    for (int v = 0; v < vocab; v++) {
                        float s = scores[v] + beamScore;
                        if (top.accepts(s)) {
                            top.offer(s, k * vocab + v);
                        }
                    }
                }
                int n = top.drain(topScores, topIndices);
                TokenHistory[] nextBeams = new TokenHistory[beams];
                float[] nextScores = new float[beams];
                int[] source = new int[beams];
                int filled = 0;
                for (int rank = 0; rank < n && filled < beams; rank++) {
                    int k = topIndices[rank] / vocab;
                    int token = topIndices[rank] % vocab;
                    if (config.isEos(token) && rank >= beams) {
                        continue; // an eos outside the first num_beams candidates is ignored
                    }
                    TokenHistory h = entry.beams[k].copy();
                    h.append(token, logProbs[k][token]);
                    if (config.isEos(token)) {
                        entry.hypotheses.add(h, topScores[rank], generated, StopReason.EOS);
                    } else {
                        nextBeams[filled] = h;
                        nextScores[filled] = topScores[rank];
                        source[filled] = e * beams + k;
                        filled++;
                    }
                }
                if (filled < beams) {
                    throw new IllegalStateException("beam search found only " + filled + " non-eos candidates for "
                            + beams + " beams");
                }
                entry.beams = nextBeams;
                entry.beamScores = nextScores;
                if (entry.hypotheses.isDone(topScores[0], generated)) {
                    continue;
                }
                if (lastStep) {
                    for (int k = 0; k < beams; k++) {
                        entry.hypotheses.add(nextBeams[k], nextScores[k], generated, StopReason.MAX_LENGTH);
                    }
                    continue;
                }
                next.add(entry);
                for (int k = 0; k < beams; k++) {
                    rows.add(source[k]);
                }
            }
            if (next.isEmpty()) {
                break;
            }
            model.select(rows.stream().mapToInt(Integer::intValue).toArray());
            long[] tokens = new long[rows.size()];
            int i = 0;
            for (Entry entry : next) {
                for (TokenHistory h : entry.beams) {
                    tokens[i++] = h.last();
                }
            }
            logits = model.step(tokens);
            live = next;
        }
        return results(entries);
    }

    private List<GenerationResult> results(List<Entry> entries) {
        List<GenerationResult> out = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            List<GeneratedSequence> seqs = new ArrayList<>();
            for (BeamHypotheses.Hypothesis h : entry.hypotheses.best(config.numReturnSequences())) {
                // The reference reports sequences_scores as float32.
                seqs.add(new GeneratedSequence(h.history().generated(), h.history().generatedLogProbs(),
                        (float) h.score(), h.stop()));
            }
            out.add(new GenerationResult(seqs));
        }
        return out;
    }
}
