package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.udfs.tasks.RelationTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Relation triples from a BioGPT relation-extraction checkpoint (fine-tuned on BC5CDR, DDI or
 * KD-DTI): the task's prompt, generation with the decoding params, the original's parser.
 * Output {@code struct<relations: array<struct<head, head_type, relation, tail, tail_type, head_start,
 * head_end, tail_start, tail_end>>, unparsed: array<string>, generated: string, truncated: boolean>}.
 * Spans are the first case-insensitive occurrence of each name in the input text column (-1 when absent).
 *
 * <p>{@code task}: bc5cdr (default), ddi, kd-dti, or a custom relation task — a JSON definition
 * (same fields as core's tasks.json) or the path of a JSON definitions file. {@code titleCol}
 * (optional) fills the template's title (BC5CDR, KD-DTI: "title. abstract"); without it the title is empty.
 */
public final class RelationExtractor extends GeneratingStage<RelationExtractor> {
    private final Param<String> task;
    private final Param<String> titleCol;

    public RelationExtractor(String uid) {
        super(uid, "relations");
        task = new Param<>(this, "task", "bc5cdr, ddi, kd-dti, a JSON relation task definition or a definitions file path",
                NonBlank.INSTANCE);
        titleCol = new Param<>(this, "titleCol", "optional title column (the template's {title})", NonBlank.INSTANCE);
        setDefault(task, TaskDefinitions.BC5CDR);
    }

    public RelationExtractor() {
        this(Identifiable.randomUID("biogptRelationExtractor"));
    }

    public Param<String> task() {
        return task;
    }

    public Param<String> titleCol() {
        return titleCol;
    }

    public String getTask() {
        return $(task);
    }

    public RelationExtractor setTask(String value) {
        set(task, value);
        return this;
    }

    public String getTitleCol() {
        return isDefined(titleCol) ? $(titleCol) : null;
    }

    public RelationExtractor setTitleCol(String value) {
        set(titleCol, value);
        return this;
    }

    /** The task definition; an error naming the param for an unknown task or a non-relation task. */
    public TaskDefinition taskDefinition() {
        TaskDefinition t;
        try {
            t = TaskDefinitions.resolve(getTask());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stageName() + ": param task: " + e.getMessage(), e);
        }
        if (t.relationSchema() == null) {
            throw new IllegalArgumentException(stageName() + ": param task: '" + t.name() + "' is " + t.kind()
                    + ", not a relation extraction task (use PubMedQaAnswerer or DocumentClassifier)");
        }
        try {
            RelationTask.fieldNames(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stageName() + ": param task: " + e.getMessage(), e);
        }
        return t;
    }

    @Override
    void checkInputs(StructType schema) {
        super.checkInputs(schema);
        taskDefinition();
        if (getTitleCol() != null) {
            SchemaChecks.requireColumn(schema, "titleCol", getTitleCol(), DataTypes.StringType, stageName());
        }
    }

    @Override
    int[] inputColumns(StructType schema) {
        return new int[] {schema.fieldIndex(getInputCol()), optionalColumn(schema, titleCol)};
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new RelationTask(taskDefinition(), decoding()), SparkValues::relations, OutputTypes.RELATIONS);
    }

    @Override
    public RelationExtractor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<RelationExtractor> read() {
        return new DefaultParamsReader<>();
    }

    public static RelationExtractor load(String path) {
        return read().load(path);
    }
}
