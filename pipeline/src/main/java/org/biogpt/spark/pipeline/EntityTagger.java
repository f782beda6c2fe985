package org.biogpt.spark.pipeline;

import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.biogpt.spark.core.task.AggregationStrategy;
import org.biogpt.spark.core.task.EntityTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Named entities from a {@code BioGptForTokenClassification} checkpoint:
 * {@code array<struct<label, start, end, text, score>>}, char spans of the input text decoded
 * from the per-token BIO labels by core's {@code EntitySpanDecoder} with the Hugging Face pipeline's
 * {@code aggregationStrategy}: none, simple (default), first, average or max.
 */
public final class EntityTagger extends ModelStage<EntityTagger> {
    private final Param<String> aggregationStrategy;

    public EntityTagger(String uid) {
        super(uid, "entities");
        aggregationStrategy = new Param<>(this, "aggregationStrategy", "Hugging Face token-classification aggregation: "
                + "none, simple, first, average or max", new OneOf("aggregationStrategy", List.of("none", "simple", "first", "average", "max")));
        setDefault(aggregationStrategy, "simple");
    }

    public Param<String> aggregationStrategy() {
        return aggregationStrategy;
    }

    public String getAggregationStrategy() {
        return $(aggregationStrategy);
    }

    public EntityTagger setAggregationStrategy(String value) {
        set(aggregationStrategy, value);
        return this;
    }

    public EntityTagger() {
        this(Identifiable.randomUID("biogptEntityTagger"));
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new EntityTask(AggregationStrategy.parse(getAggregationStrategy())), SparkValues::entities,
                OutputTypes.ENTITIES);
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
