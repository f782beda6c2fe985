package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.biogpt.spark.core.task.ClassifyTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Document labels from a {@code BioGptForSequenceClassification} checkpoint:
 * {@code struct<label: string, probabilities: map<string, double>>} (softmax over the config's labels).
 */
public final class DocumentClassifier extends ModelStage<DocumentClassifier> {
    public DocumentClassifier(String uid) {
        super(uid, "classification");
    }

    public DocumentClassifier() {
        this(Identifiable.randomUID("biogptDocumentClassifier"));
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new ClassifyTask(), SparkValues::classification, OutputTypes.CLASSIFICATION);
    }

    @Override
    String requiredArchitecture() {
        return "BioGptForSequenceClassification";
    }

    @Override
    public DocumentClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<DocumentClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static DocumentClassifier load(String path) {
        return read().load(path);
    }
}
