package org.biogpt.spark.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.task.LabelScorer;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.RelationOutput;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Expected values of the generating stages: one document at a time through core (prompt builder,
 * generator with an unpadded prompt, parser, label scorer), no batching, no Spark, no udfs code.
 */
final class TaskDirect {
    /** The tiny causal LM's positions. */
    static final int POSITIONS = 128;

    private TaskDirect() {
    }

    static BioGptModel model() {
        return Fixtures.direct(Fixtures.CAUSAL_LM);
    }

    static BioGptTokenizer tokenizer() {
        return Direct.tokenizer(Fixtures.CAUSAL_LM);
    }

    static GenerationConfig greedy(int maxNewTokens) {
        // the checkpoint's generation_config.json ids: bos 0, pad 1, eos 2
        return GenerationConfig.defaults().withMaxNewTokens(maxNewTokens).withEosTokenIds(2).withPadTokenId(1)
                .withBosTokenId(0);
    }

    static GeneratedSequence generate(int[] prompt, GenerationConfig config) {
        try (BioGptStepModel step = new BioGptStepModel(model())) {
            return new Generator(step).generate(List.of(prompt), config).get(0).best();
        }
    }

    static String decode(GeneratedSequence s) {
        return tokenizer().decode(s.tokens(), true);
    }

    /** The prompt of a relation task, or null when it does not leave maxNewTokens positions (policy error). */
    static Prompt relationPrompt(TaskDefinition task, String text, String title, int maxNewTokens) {
        Map<String, String> fields = new HashMap<>();
        fields.put("abstract", text);
        fields.put("title", title == null ? "" : title);
        Prompt p = new PromptBuilder(task, tokenizer()).build(fields);
        return p.ids().length <= POSITIONS - maxNewTokens ? p : null;
    }

    /** Relations of one document; {@code prompt} from {@link #relationPrompt} or a hand-cut one. */
    static Expected relations(TaskDefinition task, Prompt prompt, String text, GenerationConfig config) {
        String generated = decode(generate(prompt.ids(), config));
        return new Expected(generated, new OutputParser(task).parseRelations(generated, text), prompt.truncated());
    }

    record Expected(String generated, RelationOutput output, boolean truncated) {
    }

    /** PubMedQA prompt of one question/context pair. */
    static Prompt qaPrompt(TaskDefinition task, String question, String context) {
        return new PromptBuilder(task, tokenizer()).build(Map.of("question", question, "context", context));
    }

    /** Label probabilities: each label's completion scored alone after the prompt, from the full LM logits. */
    static LabelScorer.LabelProbabilities answer(TaskDefinition task, Prompt prompt) {
        LabelScorer scorer = LabelScorer.forTask(task, tokenizer());
        List<float[]> logProbs = new ArrayList<>();
        for (int l = 0; l < scorer.labels().size(); l++) {
            int[] completion = scorer.completionIds(l);
            long[] ids = new long[prompt.ids().length + completion.length];
            for (int i = 0; i < prompt.ids().length; i++) {
                ids[i] = prompt.ids()[i];
            }
            for (int i = 0; i < completion.length; i++) {
                ids[prompt.ids().length + i] = completion[i];
            }
            // full LM logits; row p-1+j predicts completion token j
            float[][] logits = model().logits(Batch.of(ids))[0];
            float[][] rows = new float[completion.length][];
            for (int j = 0; j < completion.length; j++) {
                rows[j] = logits[prompt.ids().length - 1 + j];
            }
            logProbs.add(LabelScorer.logProbabilities(rows, completion));
        }
        return scorer.score(logProbs);
    }
}
