package org.biogpt.spark.jobs.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.biogpt.spark.jobs.ProjectHome;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;
import org.biogpt.spark.pipeline.ModelStage;
import org.biogpt.spark.pipeline.PubMedQaAnswerer;
import org.biogpt.spark.pipeline.RelationExtractor;

/**
 * A task of {@code bench --task}: which pipeline stage runs it, which JSONL fields feed the stage's
 * input columns, and the bundled documents it reads by default. Names: {@code relations[:TASK]}
 * (RelationExtractor, default bc5cdr), {@code qa[:TASK]} (PubMedQaAnswerer, default pubmedqa),
 * {@code entities} (EntityTagger), {@code classify} (DocumentClassifier).
 *
 * @param kind    relations, qa, entities or classify
 * @param subtask the stage's task param (relations and qa), else null
 */
public record BenchTask(String kind, String subtask) {
    public static final List<String> KINDS = List.of("relations", "qa", "entities", "classify");

    public static BenchTask parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("--task is relations[:TASK], qa[:TASK], entities or classify");
        }
        String[] parts = name.trim().toLowerCase(Locale.ROOT).split(":", 2);
        String kind = parts[0];
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("--task '" + name + "': the kind is one of " + KINDS);
        }
        String sub = parts.length > 1 ? parts[1] : null;
        if (sub != null && (kind.equals("entities") || kind.equals("classify"))) {
            throw new IllegalArgumentException("--task '" + name + "': " + kind + " takes no sub-task (the checkpoint's head decides)");
        }
        if (sub == null && kind.equals("relations")) {
            sub = "bc5cdr";
        }
        if (sub == null && kind.equals("qa")) {
            sub = "pubmedqa";
        }
        if (sub != null && sub.isBlank()) {
            throw new IllegalArgumentException("--task '" + name + "': empty sub-task");
        }
        return new BenchTask(kind, sub);
    }

    /** Whether the task generates text (then --max-new-tokens applies). */
    public boolean generates() {
        return kind.equals("relations") || kind.equals("qa");
    }

    /**
     * The JSONL fields that fill the stage's input columns, in the stage's order (main text first):
     * relations [text, title], qa [text = context, question], entities and classify [text].
     */
    public List<String> fields() {
        return switch (kind) {
            case "relations" -> List.of("text", "title");
            case "qa" -> List.of("text", "question");
            default -> List.of("text");
        };
    }

    /** Fields a document must have (non-blank); the others may be absent. */
    public List<String> requiredFields() {
        return kind.equals("qa") ? List.of("text", "question") : List.of("text");
    }

    /** The bundled documents both sides read when --input is not given. */
    public Path defaultInput() {
        return ProjectHome.home().resolve(kind.equals("qa") ? "sample-data/corpus/pubmedqa-test-200.jsonl"
                : "sample-data/corpus/bc5cdr-test-200.jsonl");
    }

    /**
     * The stage that runs this task in Spark, with the bench's settings: batch size, truncation=truncate
     * (a prompt too long for the model is cut as the stage would cut it, on both sides), greedy with
     * {@code maxNewTokens}; qa generates its answer (and scores its labels) when maxNewTokens > 0, else only scores.
     */
    public ModelStage<?> stage(Path model, int batch, int maxNewTokens) {
        ModelStage<?> stage = switch (kind) {
            case "relations" -> new RelationExtractor().setTask(subtask).setTitleCol("title").setMaxNewTokens(Math.max(1, maxNewTokens));
            case "qa" -> new PubMedQaAnswerer().setTask(subtask).setGenerate(maxNewTokens > 0)
                    .setMaxNewTokens(Math.max(1, maxNewTokens));
            case "entities" -> new EntityTagger();
            default -> new DocumentClassifier();
        };
        stage.setModelPath(model.toString()).setTruncation("truncate");
        stage.setBatchSize(batch);
        return stage;
    }

    @Override
    public String toString() {
        return subtask == null ? kind : kind + ":" + subtask;
    }
}
