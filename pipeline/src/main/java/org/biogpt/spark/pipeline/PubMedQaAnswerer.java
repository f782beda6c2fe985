package org.biogpt.spark.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.task.AnswerTask;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.core.task.TaskKind;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * PubMedQA answers from a BioGPT QA checkpoint: {@code questionCol} + the context in
 * {@code inputCol} (default "text", as every stage reads its main text) → {@code struct<label: string, probabilities: map<string, double>,
 * text: string>}. Each label's completion ("the answer to the question given the context is yes.")
 * is scored after the prompt in one forward pass, giving calibrated probabilities; label is the most
 * probable. With {@code generate=true} the answer is also generated (decoding params) into
 * {@code text} and the label is the one read from it (the original evaluation); otherwise text is null.
 * {@code task}: pubmedqa (default), pubmedqa-reasoning-free (needs {@code longAnswerCol}) or a custom
 * single-label task definition whose template reads question and context.
 */
public final class PubMedQaAnswerer extends TaskStage<PubMedQaAnswerer> {
    private final Param<String> questionCol;
    private final Param<String> longAnswerCol;
    private final BooleanParam generate;

    public PubMedQaAnswerer(String uid) {
        super(uid, "answer", TaskDefinitions.PUBMEDQA,
                "pubmedqa, pubmedqa-reasoning-free, or a JSON single-label task definition / file");
        questionCol = new Param<>(this, "questionCol", "question column", NonBlank.INSTANCE);
        longAnswerCol = new Param<>(this, "longAnswerCol", "long answer column (reasoning-free task only)", NonBlank.INSTANCE);
        generate = new BooleanParam(this, "generate", "also generate the answer text and read the label from it");
        setDefault(questionCol, "question");
        setDefault(generate, false);
    }

    public PubMedQaAnswerer() {
        this(Identifiable.randomUID("biogptPubMedQaAnswerer"));
    }

    public Param<String> questionCol() {
        return questionCol;
    }

    public Param<String> longAnswerCol() {
        return longAnswerCol;
    }

    public BooleanParam generate() {
        return generate;
    }

    public String getQuestionCol() {
        return $(questionCol);
    }

    public PubMedQaAnswerer setQuestionCol(String value) {
        set(questionCol, value);
        return this;
    }

    public String getLongAnswerCol() {
        return isDefined(longAnswerCol) ? $(longAnswerCol) : null;
    }

    public PubMedQaAnswerer setLongAnswerCol(String value) {
        set(longAnswerCol, value);
        return this;
    }

    public boolean getGenerate() {
        return (Boolean) $(generate);
    }

    public PubMedQaAnswerer setGenerate(boolean value) {
        set(generate, value);
        return this;
    }

    @Override
    String unsuitable(TaskDefinition t) {
        if (t.kind() != TaskKind.SINGLE_LABEL) {
            return "'" + t.name() + "' is " + t.kind() + ", not a single-label question answering task";
        }
        List<String> extra = new ArrayList<>(t.fields());
        extra.removeAll(List.of("question", "context", "long_answer"));
        return extra.isEmpty() ? null
                : "'" + t.name() + "' reads fields " + extra + "; this stage provides question, context and long_answer";
    }

    @Override
    void checkInputs(StructType schema) {
        super.checkInputs(schema);
        TaskDefinition t = taskDefinition();
        SchemaChecks.requireColumn(schema, "questionCol", getQuestionCol(), DataTypes.StringType, stageName());
        if (t.fields().contains("long_answer")) {
            if (getLongAnswerCol() == null) {
                throw new IllegalArgumentException(stageName() + ": task '" + t.name()
                        + "' needs the long answer: set param longAnswerCol");
            }
            SchemaChecks.requireColumn(schema, "longAnswerCol", getLongAnswerCol(), DataTypes.StringType, stageName());
        }
    }

    @Override
    int[] inputColumns(StructType schema) {
        return new int[] {schema.fieldIndex(getInputCol()), schema.fieldIndex(getQuestionCol()),
            taskDefinition().fields().contains("long_answer") ? optionalColumn(schema, longAnswerCol) : -1};
    }

    @Override
    boolean generates() {
        return getGenerate();
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new AnswerTask(taskDefinition(), decoding(), getGenerate()), SparkValues::answer,
                OutputTypes.ANSWER);
    }

    @Override
    public PubMedQaAnswerer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<PubMedQaAnswerer> read() {
        return new DefaultParamsReader<>();
    }

    public static PubMedQaAnswerer load(String path) {
        return read().load(path);
    }
}
