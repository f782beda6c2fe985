package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.biogpt.spark.udfs.tasks.EntityTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Named entities from a {@code BioGptForTokenClassification} checkpoint:
 * {@code array<struct<label, start, end, text, score>>}, char spans of the input text decoded
 * from the per-token BIO labels (see {@code BioSpanDecoder}).
 */
public final class EntityTagger extends ModelStage<EntityTagger> {
    public EntityTagger(String uid) {
        super(uid, "entities");
    }

    public EntityTagger() {
        this(Identifiable.randomUID("biogptEntityTagger"));
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new EntityTask(), SparkValues::entities, OutputTypes.ENTITIES);
    }

    @Override
    String requiredArchitecture() {
        return "BioGptForTokenClassification";
    }

    @Override
    public EntityTagger copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<EntityTagger> read() {
        return new DefaultParamsReader<>();
    }

    public static EntityTagger load(String path) {
        return read().load(path);
    }
}
