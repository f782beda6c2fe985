package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.copy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLoadException;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {
    @TempDir
    Path dir;

    @Test
    void modelIsLoadedOncePerJvmAcrossPartitionsTasksAndJobs() {
        String path = copy(Fixtures.TOKEN_CLS, dir.resolve("ner")).toString();
        ModelSpec spec = ModelSpec.cpu(path);
        assertEquals(0, ModelCache.loadCount(spec));
        EntityTagger tagger = new EntityTagger().setModelPath(path).setBatchSize(2);
        List<String> texts = Fixtures.mixedDocuments();
        Dataset<Row> out = tagger.transform(TestSpark.docs(texts, 6));
        assertEquals(texts.size(), out.collectAsList().size());
        assertEquals(texts.size(), out.count());
        assertEquals(texts.size() * 2L, tagger.transform(TestSpark.docs(texts, 4).union(TestSpark.docs(texts, 3))).count());
        assertEquals(1, ModelCache.loadCount(spec));
        assertTrue(tagger.lastMetrics().snapshot().modelLoadMillis() == 0, "later stages reuse the loaded model");
    }

    @Test
    void unloadableWeightsFailTheJobWithAnErrorNamingThePath() throws java.io.IOException {
        // Tokenizer, config and a weights file are there (the driver is happy); the weights are not readable.
        Path broken = copy(Fixtures.TOKEN_CLS, dir.resolve("broken"), "model.safetensors", "pytorch_model.bin");
        java.nio.file.Files.write(broken.resolve("model.safetensors"), new byte[] {1, 2, 3});
        String path = broken.toString();
        Dataset<Row> out = new EntityTagger().setModelPath(path).transform(TestSpark.docs(List.of("Aspirin."), 1));
        SparkException e = assertThrows(SparkException.class, out::collectAsList);
        assertTrue(e.getMessage().contains("cannot load BioGPT model from '" + path + "'"), e.getMessage());
    }

    @Test
    void aCheckpointWithoutWeightsIsRefusedByTransformBeforeAnyTask() {
        String path = copy(Fixtures.TOKEN_CLS, dir.resolve("no-weights"), "model.safetensors",
                "pytorch_model.bin").toString();
        EntityTagger tagger = new EntityTagger().setModelPath(path);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> tagger.transform(TestSpark.docs(List.of("Aspirin."), 1)));
        assertTrue(e.getMessage().contains("EntityTagger " + tagger.uid() + ": model path '" + path
                + "' has no weights"), e.getMessage());
    }

    @Test
    void partitionsWithoutValidTextNeverLoadTheModel() {
        String path = copy(Fixtures.SEQUENCE_CLS, dir.resolve("unused")).toString();
        java.util.ArrayList<String> texts = new java.util.ArrayList<>(java.util.Arrays.asList(null, "", " "));
        List<Row> rows = new DocumentClassifier().setModelPath(path).transform(TestSpark.docs(texts, 2)).collectAsList();
        assertEquals(3, rows.size());
        assertEquals(0, ModelCache.loadCount(ModelSpec.cpu(path)));
    }
}
