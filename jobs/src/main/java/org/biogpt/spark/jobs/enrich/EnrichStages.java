package org.biogpt.spark.jobs.enrich;

import org.apache.spark.ml.Transformer;
import org.biogpt.spark.pipeline.BioGptEmbedder;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;
import org.biogpt.spark.pipeline.PubMedQaAnswerer;
import org.biogpt.spark.pipeline.RelationExtractor;

/**
 * The Spark ML stage behind each enrich task. Entities, classify and embed read the {@code source}
 * column (title + abstract); relations and qa build their task prompts from {@code title} and
 * {@code text}. All truncate over-long documents (relations and qa with the original's "..." cut,
 * leaving room for the generated tokens): the job's {@code exceeds_max_positions} column says which
 * were too long for the model.
 */
final class EnrichStages {
    private EnrichStages() {
    }

    static Transformer create(EnrichTask task, String modelPath, int batchSize, int maxNewTokens) {
        switch (task.kind()) {
            case "entities":
                return new EntityTagger().setModelPath(modelPath).setInputCol("source").setOutputCol("entities")
                        .setTruncation("truncate").setBatchSize(batchSize);
            case "classify":
                return new DocumentClassifier().setModelPath(modelPath).setInputCol("source")
                        .setOutputCol("classification").setTruncation("truncate").setBatchSize(batchSize);
            case "embed":
                return new BioGptEmbedder().setModelPath(modelPath).setInputCol("source").setOutputCol("embedding")
                        .setTruncation("truncate").setBatchSize(batchSize);
            case "relations":
                // the task's own template: title and abstract (BC5CDR, KD-DTI) or the abstract (DDI)
                return new RelationExtractor().setModelPath(modelPath).setTask(task.name().substring("relations:".length()))
                        .setInputCol("text").setTitleCol("title").setOutputCol(task.column()).setTruncation("truncate")
                        .setBatchSize(batchSize).setMaxNewTokens(maxNewTokens);
            case "qa":
                // context = the abstract, question = the job's --question (a literal column added by the job)
                return new PubMedQaAnswerer().setModelPath(modelPath).setInputCol("text").setQuestionCol("question")
                        .setOutputCol(task.column()).setTruncation("truncate").setBatchSize(batchSize);
            default:
                throw new IllegalArgumentException("no stage for task " + task.name());
        }
    }
}
