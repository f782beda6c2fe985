package org.biogpt.spark.core.eval;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/**
 * The part every built-in task's test set shares: the task by name, its documents in test-file
 * order, and the original's output parser; each set says how a document feeds the prompt and how
 * its predictions are scored.
 *
 * @param <D> one document (or item) of the test set
 */
abstract class BuiltInEvaluation<D> implements EvaluationSet {
    final TaskDefinition task;
    final List<D> docs;
    final OutputParser parser;
    private final Function<D, String> id;

    BuiltInEvaluation(String name, List<D> docs, Function<D, String> id) {
        this.task = TaskDefinitions.builtIn(name);
        this.docs = docs;
        this.parser = new OutputParser(task);
        this.id = id;
    }

    /** The fields of the task's source template for one document. */
    abstract Map<String, String> fields(D doc);

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public List<String> ids() {
        return docs.stream().map(id).toList();
    }

    @Override
    public List<Map<String, String>> promptFields() {
        return docs.stream().map(this::fields).toList();
    }

    /** Fails unless there is one prediction per document. */
    void requireOnePer(List<String> generated, String what) {
        if (generated.size() != docs.size()) {
            throw new IllegalArgumentException(generated.size() + " predictions for " + docs.size() + " " + what);
        }
    }
}
