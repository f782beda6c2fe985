package org.biogpt.spark.pipeline;

import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.biogpt.spark.core.task.EmbedTask;
import org.biogpt.spark.core.task.Embedding;
import org.biogpt.spark.core.task.Pooling;
import org.biogpt.spark.udfs.partition.SparkValueConverter;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Document embeddings from last_hidden_state of any BioGPT checkpoint, as an {@code ml.linalg}
 * dense vector: {@code pooling = mean} (over real tokens, default) or {@code last} (last real token).
 */
public final class BioGptEmbedder extends ModelStage<BioGptEmbedder> {
    private final Param<String> pooling;

    public BioGptEmbedder(String uid) {
        super(uid, "embedding");
        pooling = new Param<>(this, "pooling", "mean (over real tokens) or last (last real token)",
                new OneOf("pooling", List.of("mean", "last")));
        setDefault(pooling, "mean");
    }

    public BioGptEmbedder() {
        this(Identifiable.randomUID("biogptEmbedder"));
    }

    public Param<String> pooling() {
        return pooling;
    }

    public String getPooling() {
        return $(pooling);
    }

    public BioGptEmbedder setPooling(String value) {
        set(pooling, value);
        return this;
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new EmbedTask(), pooled(Pooling.parse(getPooling())), SQLDataTypes.VectorType());
    }

    private static SparkValueConverter<Embedding> pooled(Pooling pooling) {
        return e -> SparkValues.embeddingVector(e.pooled(pooling));
    }

    @Override
    String requiredArchitecture() {
        return null;
    }

    @Override
    public BioGptEmbedder copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<BioGptEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static BioGptEmbedder load(String path) {
        return read().load(path);
    }
}
