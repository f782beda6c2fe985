package org.biogpt.spark.udfs;

import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.udfs.model.ModelLoadException;
import org.biogpt.spark.udfs.model.ModelPaths;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPathsTest {
    @TempDir
    Path dir;

    @Test
    void localPathsAndFileUrisAreUsedInPlace() {
        Path model = Fixtures.model("causal-lm");
        assertEquals(model, ModelPaths.localise(model.toString()));
        assertEquals(model, ModelPaths.localise(model.toUri().toString()));
        assertEquals(model, ModelPaths.localise("file:" + model));
    }

    @Test
    void missingDirectoryIsNamed() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelPaths.localise(dir + "/absent"));
        assertTrue(e.getMessage().contains(dir + "/absent"), e.getMessage());
    }

    @Test
    void hadoopFileSystemPathsAreCopiedOncePerJvm() throws Exception {
        Path source = Fixtures.copy("token-classification", dir.resolve("remote-model"), "pytorch_model.bin");
        String uri = source.toUri().toString();
        Path copy = ModelPaths.copyViaHadoop(uri, false);
        assertNotEquals(source, copy);
        assertArrayEquals(Files.readAllBytes(source.resolve("model.safetensors")),
                Files.readAllBytes(copy.resolve("model.safetensors")));
        assertEquals(copy, ModelPaths.copyViaHadoop(uri, false));
        assertEquals(copy, ModelPaths.copyViaHadoop(uri, true), "a full copy serves metadata requests");
        assertEquals(1, ModelPaths.copyCount(uri));
    }

    @Test
    void driverMetadataCopyLeavesTheWeightsBehind() {
        Path source = Fixtures.copy("token-classification", dir.resolve("remote-meta"));
        Path meta = ModelPaths.copyViaHadoop(source.toUri().toString(), true);
        for (String f : ModelPaths.METADATA_FILES) {
            assertTrue(Files.isRegularFile(meta.resolve(f)), f);
        }
        assertFalse(Files.exists(meta.resolve("model.safetensors")));
        assertFalse(Files.exists(meta.resolve("pytorch_model.bin")));
    }

    @Test
    void namesShippedWithSparkFilesAreFoundInTheSparkFilesRoot() {
        Path shipped = Fixtures.copy("sequence-classification", dir.resolve("shipped-model"), "pytorch_model.bin");
        SparkContext sc = new SparkContext(new SparkConf().setMaster("local[1]").setAppName("spark-files")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        try {
            sc.addFile(shipped.toString(), true);
            Path found = ModelPaths.localise("shipped-model");
            assertNotEquals(shipped, found);
            assertTrue(Files.isRegularFile(found.resolve("model.safetensors")), found.toString());
        } finally {
            sc.stop();
        }
    }

    @Test
    void aRelativeLocalDirectoryReachesExecutorsAsTheDriversAbsolutePath() {
        Path model = Fixtures.model("causal-lm");
        String relative = Path.of("").toAbsolutePath().relativize(model).toString();
        assertFalse(Path.of(relative).isAbsolute());
        assertEquals(model.normalize().toString(), ModelPaths.forExecutors(relative, null));
        assertEquals(model.toString(), ModelPaths.forExecutors(model.toString(), "spark://10.0.0.1:7077"));
        assertEquals("hdfs:///models/biogpt", ModelPaths.forExecutors("hdfs:///models/biogpt", "yarn"));
    }

    @Test
    void aPathTheDriverCannotSeeFailsOnTheDriverWithAHintForClusterMasters() {
        ModelLoadException local = assertThrows(ModelLoadException.class,
                () -> ModelPaths.forExecutors("models/absent", null));
        assertTrue(local.getMessage().contains("'models/absent' is not a directory on the driver (resolved to "
                + Path.of("models/absent").toAbsolutePath()), local.getMessage());
        assertTrue(local.getMessage().contains("nor a name shipped with --files/--archives"), local.getMessage());
        assertFalse(local.getMessage().contains("hdfs"), local.getMessage());
        ModelLoadException cluster = assertThrows(ModelLoadException.class,
                () -> ModelPaths.forExecutors(dir + "/absent", "yarn"));
        assertTrue(cluster.getMessage().contains("executors of master yarn read local paths on their own hosts"),
                cluster.getMessage());
        assertTrue(cluster.getMessage().contains("hdfs:///") && cluster.getMessage().contains("--archives"),
                cluster.getMessage());
    }

    @Test
    void aCheckpointWithoutWeightsIsRefusedOnTheDriverLocalOrThroughHadoop() {
        Path noWeights = Fixtures.copy("sequence-classification", dir.resolve("no-weights"), "model.safetensors",
                "pytorch_model.bin");
        for (String path : new String[] {noWeights.toString(), noWeights.toUri().toString()}) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ModelPaths.requireWeights(path, "DocumentClassifier x"));
            assertTrue(e.getMessage().startsWith("DocumentClassifier x: model path '" + path + "' has no weights"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("model.safetensors, model.safetensors.index.json, pytorch_model.bin"),
                    e.getMessage());
        }
        ModelPaths.requireWeights(Fixtures.model("causal-lm").toString(), "ok");
    }
}
