package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.task.RelationTask;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
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
public final class RelationExtractor extends TaskStage<RelationExtractor> {
    private final Param<String> titleCol;

    public RelationExtractor(String uid) {
        super(uid, "relations", TaskDefinitions.BC5CDR,
                "bc5cdr, ddi, kd-dti, a JSON relation task definition or a definitions file path");
        titleCol = new Param<>(this, "titleCol", "optional title column (the template's {title})", NonBlank.INSTANCE);
    }

    public RelationExtractor() {
        this(Identifiable.randomUID("biogptRelationExtractor"));
    }

    public Param<String> titleCol() {
        return titleCol;
    }

    public String getTitleCol() {
        return isDefined(titleCol) ? $(titleCol) : null;
    }

    public RelationExtractor setTitleCol(String value) {
        set(titleCol, value);
        return this;
    }

    @Override
    String unsuitable(TaskDefinition t) {
        if (t.relationSchema() == null) {
            return "'" + t.name() + "' is " + t.kind()
                    + ", not a relation extraction task (use PubMedQaAnswerer or DocumentClassifier)";
        }
        try {
            RelationTask.fieldNames(t);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
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
