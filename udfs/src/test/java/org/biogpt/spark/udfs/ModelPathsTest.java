package org.biogpt.spark.udfs;

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
        Path model = UdfsFixtures.model("causal-lm");
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
        Path source = UdfsFixtures.copy("token-classification", dir.resolve("remote-model"), "pytorch_model.bin");
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
        Path source = UdfsFixtures.copy("token-classification", dir.resolve("remote-meta"));
        Path meta = ModelPaths.copyViaHadoop(source.toUri().toString(), true);
        for (String f : ModelPaths.METADATA_FILES) {
            assertTrue(Files.isRegularFile(meta.resolve(f)), f);
        }
        assertFalse(Files.exists(meta.resolve("model.safetensors")));
        assertFalse(Files.exists(meta.resolve("pytorch_model.bin")));
    }

    @Test
    void namesShippedWithSparkFilesAreFoundInTheSparkFilesRoot() {
        Path shipped = UdfsFixtures.copy("sequence-classification", dir.resolve("shipped-model"), "pytorch_model.bin");
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
}
