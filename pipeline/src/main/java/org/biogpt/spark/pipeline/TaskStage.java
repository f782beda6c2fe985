package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.Param;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/**
 * A generating stage that runs one of the BioGPT paper's tasks, named by its {@code task} param: a
 * built-in task, a JSON task definition (the fields of core's tasks.json) or the path of a JSON
 * definitions file. Each stage says which tasks it can run.
 *
 * @param <S> the concrete stage, so setters chain
 */
public abstract class TaskStage<S extends TaskStage<S>> extends GeneratingStage<S> {
    private final Param<String> task;

    /** @param tasks what the {@code task} param accepts, for its documentation */
    protected TaskStage(String uid, String defaultOutputCol, String defaultTask, String tasks) {
        super(uid, defaultOutputCol);
        task = new Param<>(this, "task", tasks, NonBlank.INSTANCE);
        setDefault(task, defaultTask);
    }

    public Param<String> task() {
        return task;
    }

    public String getTask() {
        return $(task);
    }

    public S setTask(String value) {
        set(task, value);
        return self();
    }

    /** Why this stage cannot run the task, or null when it can. */
    abstract String unsuitable(TaskDefinition task);

    /** The task definition; an error naming the param for an unknown task or one this stage cannot run. */
    public TaskDefinition taskDefinition() {
        TaskDefinition t;
        try {
            t = TaskDefinitions.resolve(getTask());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stageName() + ": param task: " + e.getMessage(), e);
        }
        String problem = unsuitable(t);
        if (problem != null) {
            throw new IllegalArgumentException(stageName() + ": param task: " + problem);
        }
        return t;
    }
}
