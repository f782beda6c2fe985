package org.biogpt.spark.jobs.enrich;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;

/** A local Spark session and the tiny fixture checkpoint, for enrich runs without model tasks. */
record TinyModelSpark(SparkSession spark, Path model, BioGptConfig config, BioGptTokenizer tokenizer) {
    static TinyModelSpark start(String name) {
        Path model = Fixtures.model("causal-lm");
        return new TinyModelSpark(SparkSessions.create(name, "local[2]", Map.of("spark.sql.shuffle.partitions", "2")),
                model, BioGptConfig.load(model), BioGptTokenizer.load(model));
    }

    EnrichModels models() {
        return EnrichModels.parse(List.of(model.toString()));
    }

    void stop() {
        spark.stop();
    }
}
