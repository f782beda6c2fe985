package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.ForwardState;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.Limits;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * PubMedQA answering: the task prompt (core {@code PromptBuilder}), then each label's completion
 * ("the answer to the question given the context is yes.") scored after it — the prompts run once,
 * each label's completion continues their key/value cache ({@link ForwardState#continuationLogProbs}),
 * and generation, when asked for, decodes from that same cache — and core's {@link LabelScorer} turns the summed
 * log-probabilities into probabilities. With {@code generate}, the answer is also generated with
 * the decoding config and the label is the one core's {@link OutputParser} reads from it, as the
 * original evaluation does. Input fields: context, question, then long_answer (reasoning-free task).
 */
public final class AnswerTask implements ModelTask<Answer> {
    private final TaskPrompts prompts;
    private final GenerationConfig config;
    private final boolean generate;
    private transient LabelScorer scorer;
    private transient BioGptTokenizer scorerTokenizer;

    /** @param config used only when {@code generate} is true */
    public AnswerTask(TaskDefinition task, GenerationConfig config, boolean generate) {
        if (task.kind() != TaskKind.SINGLE_LABEL) {
            throw new IllegalArgumentException("task '" + task.name() + "' is " + task.kind()
                    + ", not a single-label (question answering) task");
        }
        List<String> names = new ArrayList<>(List.of("context", "question"));
        for (String f : task.fields()) {
            if (!names.contains(f)) {
                names.add(f);
            }
        }
        this.prompts = new TaskPrompts(task, names);
        this.config = config;
        this.generate = generate;
    }

    public TaskDefinition task() {
        return prompts.task();
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    private LabelScorer scorer(BioGptTokenizer tokenizer) {
        if (scorer == null || scorerTokenizer != tokenizer) {
            scorer = LabelScorer.forTask(prompts.task(), tokenizer);
            scorerTokenizer = tokenizer;
        }
        return scorer;
    }

    @Override
    public TextInput prepare(BioGptTokenizer tokenizer, List<String> fields, Supplier<Limits> limits, LengthPolicy policy) {
        var values = prompts.fields(fields, prompts.task().fields().size());
        LabelScorer s = scorer(tokenizer);
        int room = 0;
        for (int i = 0; i < s.labels().size(); i++) {
            room = Math.max(room, s.completionIds(i).length);
        }
        if (generate) {
            room = Math.max(room, config.reservedNewTokens());
        }
        Prompt prompt = prompts.build(tokenizer, values, limits.get().promptLimit(room), policy);
        return TextInput.of(fields.get(0), prompt);
    }

    @Override
    public List<Answer> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        LabelScorer s = scorer(tokenizer);
        int labels = s.labels().size();
        float[][][] completionLogProbs = new float[labels][][];                   // [label][row][completion token]
        Consumer<ForwardState> scoreLabels = state -> {
            for (int l = 0; l < labels; l++) {
                long[] completion = Arrays.stream(s.completionIds(l)).asLongStream().toArray();
                long[][] rows = new long[batch.size()][];
                Arrays.fill(rows, completion);
                completionLogProbs[l] = state.continuationLogProbs(rows);
            }
        };
        List<Generated> generated = null;
        if (generate) {
            generated = Generation.best(model, tokenizer, batch, config, scoreLabels);
        }
        if (completionLogProbs[0] == null) {                                      // no generation ran a prefill
            List<long[]> ids = new ArrayList<>(batch.size());
            batch.forEach(in -> ids.add(Arrays.stream(in.intIds()).asLongStream().toArray()));
            try (ForwardState state = model.prefill(Batch.leftPadded(ids, model.config().padTokenId()))) {
                scoreLabels.accept(state);
            }
        }
        OutputParser parser = generate ? new OutputParser(prompts.task()) : null;
        List<Answer> out = new ArrayList<>(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            List<float[]> logProbs = new ArrayList<>(labels);
            for (int l = 0; l < labels; l++) {
                logProbs.add(completionLogProbs[l][b]);
            }
            LabelScorer.LabelProbabilities p = s.score(logProbs);
            if (generate) {
                String text = generated.get(b).text();
                out.add(new Answer(parser.parseLabel(text).label(), p.asMap(), text, generated.get(b).numTokens()));
            } else {
                out.add(new Answer(p.best(), p.asMap(), null, 0));
            }
        }
        return out;
    }
}
