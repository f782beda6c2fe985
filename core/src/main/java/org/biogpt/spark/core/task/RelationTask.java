package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.run.Limits;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.TextInput;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Relation extraction as the BioGPT paper's tasks: the task's prompt (core {@code PromptBuilder}),
 * generation with the decoding config, then core's {@link OutputParser} reads the triples. Input
 * fields: the abstract, then the title (may be null: an empty title). Names are located in the
 * abstract as given (case-insensitive), so spans are offsets into the input text column.
 */
public final class RelationTask implements ModelTask<RelationResult> {
    private final TaskPrompts prompts;
    private final GenerationConfig config;

    public RelationTask(TaskDefinition task, GenerationConfig config) {
        if (task.kind() != TaskKind.RELATION_EXTRACTION) {
            throw new IllegalArgumentException("task '" + task.name() + "' is " + task.kind()
                    + ", not a relation extraction task");
        }
        this.prompts = new TaskPrompts(task, fieldNames(task));
        this.config = config;
    }

    /**
     * The template fields the input fields fill: the text column fills {@code {abstract}} (else
     * {@code {text}}, else the template's only field), the title column {@code {title}}. A template
     * reading any other field is refused, naming it.
     */
    public static List<String> fieldNames(TaskDefinition task) {
        List<String> fields = task.fields();
        String main = fields.contains("abstract") ? "abstract" : fields.contains("text") ? "text"
                : fields.size() == 1 && !fields.get(0).equals("title") ? fields.get(0) : "abstract";
        List<String> names = new ArrayList<>(List.of(main, "title"));
        for (String f : fields) {
            if (!names.contains(f)) {
                throw new IllegalArgumentException("task '" + task.name() + "' reads the field {" + f
                        + "}; relation extraction fills only the text column ({" + main + "}) and the title ({title})");
            }
        }
        return names;
    }

    public TaskDefinition task() {
        return prompts.task();
    }

    @Override
    public boolean needsModel() {
        return true;
    }

    @Override
    public TextInput prepare(BioGptTokenizer tokenizer, List<String> fields, Supplier<Limits> limits, LengthPolicy policy) {
        var values = prompts.fields(fields, 1);
        Prompt prompt = prompts.build(tokenizer, values, limits.get().promptLimit(config.reservedNewTokens()), policy);
        return TextInput.of(fields.get(0), prompt);
    }

    @Override
    public List<RelationResult> run(BioGptModel model, BioGptTokenizer tokenizer, List<TextInput> batch) {
        List<Generated> generated = Generation.best(model, tokenizer, batch, config);
        OutputParser parser = new OutputParser(prompts.task());
        List<RelationResult> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String text = generated.get(i).text();
            RelationOutput parsed = parser.parseRelations(text, batch.get(i).text());
            out.add(new RelationResult(parsed.relations(), parsed.unparsed(), text, batch.get(i).prompt().truncated(),
                    generated.get(i).numTokens()));
        }
        return out;
    }
}
