package org.biogpt.spark.jobs.enrich;

import org.apache.spark.ml.Transformer;
import org.biogpt.spark.pipeline.BioGptEmbedder;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;

/**
 * The Spark ML stage behind each enrich task. All read the {@code source} column (title + abstract)
 * and truncate over-long documents: the job's {@code exceeds_max_positions} column says which were cut.
 */
final class EnrichStages {
    private EnrichStages() {
    }

    static Transformer create(EnrichTask task, String modelPath, int batchSize) {
        switch (task.name()) {
            case "entities":
                return new EntityTagger().setModelPath(modelPath).setInputCol("source").setOutputCol("entities")
                        .setTruncation("truncate").setBatchSize(batchSize);
            case "classify":
                return new DocumentClassifier().setModelPath(modelPath).setInputCol("source")
                        .setOutputCol("classification").setTruncation("truncate").setBatchSize(batchSize);
            case "embed":
                return new BioGptEmbedder().setModelPath(modelPath).setInputCol("source").setOutputCol("embedding")
                        .setTruncation("truncate").setBatchSize(batchSize);
            default:
                throw new IllegalArgumentException("no stage for task " + task.name());
        }
    }
}
