package org.biogpt.spark.core.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.task.TaskDefinition;

/**
 * A task's test set ready to run and score: its documents in the original order, what to feed
 * the prompt builder, the targets a perfect model would emit, and the scorer over generated texts.
 */
public interface EvaluationSet {
    /** The task whose prompts and parser this set uses. */
    TaskDefinition task();

    /** Document ids in test-file order (the order of the original's plain-text predictions). */
    List<String> ids();

    /** Per document, the fields of the task's source template. */
    List<Map<String, String>> promptFields();

    /** Per document, its gold answer written as the original's training target. */
    List<String> goldTargets();

    /**
     * Scores generated texts aligned with {@link #ids()}; a null text (no prediction for the
     * document) counts as a failed parse. Returns the evaluate command's JSON fields.
     */
    Map<String, Object> score(List<String> generated);

    /** The test set of a task name (bc5cdr, ddi, kd-dti, pubmedqa, pubmedqa-reasoning-free, hoc). */
    static EvaluationSet load(String task, Path data) {
        return switch (task) {
            case "ddi", "kd-dti" -> new DrugTargetEvaluation(task, RelationGold.read(data));
            case "bc5cdr" -> new Bc5cdrEvaluation(Bc5cdrGold.read(data));
            case "pubmedqa", "pubmedqa-reasoning-free" -> new PubMedQaEvaluation(task, PubMedQaGold.read(data));
            case "hoc" -> new HocEvaluation(HocGold.read(data));
            default -> throw new IllegalArgumentException("no evaluation for task '" + task
                    + "'; one of bc5cdr, ddi, kd-dti, pubmedqa, pubmedqa-reasoning-free, hoc");
        };
    }
}
