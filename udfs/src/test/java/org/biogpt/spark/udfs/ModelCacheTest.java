package org.biogpt.spark.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLease;
import org.biogpt.spark.udfs.model.ModelLoadException;
import org.biogpt.spark.udfs.model.ModelPaths;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
    @TempDir
    Path dir;

    @Test
    void concurrentFirstUseLoadsOnceAndSharesOneModel() throws Exception {
        ModelSpec spec = ModelSpec.cpu(Fixtures.copy("sequence-classification", dir.resolve("m")).toString());
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ModelLease>> leases = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                leases.add(pool.submit(() -> {
                    start.await();
                    return ModelCache.acquire(spec, Device.CPU);
                }));
            }
            BioGptModel first = leases.get(0).get().model();
            int loaders = 0;
            for (Future<ModelLease> f : leases) {
                assertSame(first, f.get().model());
                loaders += f.get().loadedByThisCall() ? 1 : 0;
            }
            assertEquals(1, loaders);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ModelCache.loadCount(spec));
        assertFalse(ModelCache.acquire(spec, Device.CPU).loadedByThisCall());
        assertTrue(ModelCache.isLoaded(spec));
    }

    @Test
    void everySpellingOfOneCheckpointSharesOneModel() throws Exception {
        Path lm = Fixtures.copy("causal-lm", dir.resolve("lm"), "pytorch_model.bin");
        Path link = Files.createSymbolicLink(dir.resolve("link-to-lm"), lm);
        Files.createDirectories(dir.resolve("other"));
        ModelSpec plain = ModelSpec.cpu(lm.toString());
        BioGptModel model = ModelCache.acquire(plain, Device.CPU).model();
        for (String spelling : List.of(lm + "/", dir + "/./lm", dir + "/other/../lm", lm.toUri().toString(),
                link.toString())) {
            ModelLease lease = ModelCache.acquire(ModelSpec.cpu(spelling), Device.CPU);
            assertSame(model, lease.model(), spelling);
            assertFalse(lease.loadedByThisCall(), spelling);
        }
        assertEquals(1, ModelCache.loadCount(plain));
    }

    @Test
    void differentCheckpointsAreDifferentModels() {
        String a = Fixtures.copy("causal-lm", dir.resolve("a"), "pytorch_model.bin").toString();
        String b = Fixtures.copy("causal-lm", dir.resolve("b"), "pytorch_model.bin").toString();
        assertNotSame(ModelCache.acquire(ModelSpec.cpu(a), Device.CPU).model(),
                ModelCache.acquire(ModelSpec.cpu(b), Device.CPU).model());
        assertEquals(1, ModelCache.loadCount(ModelSpec.cpu(a)));
        assertEquals(1, ModelCache.loadCount(ModelSpec.cpu(b)));
    }

    @Test
    void everySpellingOfOneHadoopPathFetchesAndLoadsOneCopy() {
        Path lm = Fixtures.copy("causal-lm", dir.resolve("remote-lm"), "pytorch_model.bin");
        String plain = remote(lm);
        BioGptModel model = ModelCache.acquire(ModelSpec.cpu(plain), Device.CPU).model();
        for (String spelling : List.of(plain + "/", plain + "/.", plain + "/../remote-lm/./", LoopbackFileSystem.SCHEME + ":" + lm, remote(dir) + "/./remote-lm",
                remote(dir) + "/other/../remote-lm", remote(dir) + "//remote-lm")) {
            ModelLease lease = ModelCache.acquire(ModelSpec.cpu(spelling), Device.CPU);
            assertSame(model, lease.model(), spelling);
            assertFalse(lease.loadedByThisCall(), spelling);
            assertEquals(1, ModelPaths.copyCount(spelling), spelling);
        }
        assertEquals(1, ModelCache.loadCount(ModelSpec.cpu(plain)));
    }

    @Test
    void theSameBytesAtTwoHadoopLocationsLoadOneModel() {
        String a = remote(Fixtures.copy("causal-lm", dir.resolve("a"), "pytorch_model.bin"));
        String b = remote(Fixtures.copy("causal-lm", dir.resolve("b"), "pytorch_model.bin"));
        assertSame(ModelCache.acquire(ModelSpec.cpu(a), Device.CPU).model(),
                ModelCache.acquire(ModelSpec.cpu(b), Device.CPU).model());
        assertEquals(1, ModelPaths.copyCount(a));
        assertEquals(1, ModelPaths.copyCount(b), "each location is fetched, then known by its content");
        assertEquals(1, ModelCache.loadCount(ModelSpec.cpu(b)));
    }

    @Test
    void aHadoopCheckpointDifferingInOneWeightByteLoadsSeparately() throws Exception {
        Path original = Fixtures.copy("causal-lm", dir.resolve("original"), "pytorch_model.bin");
        Path tuned = Fixtures.copy("causal-lm", dir.resolve("tuned"), "pytorch_model.bin");
        // Same file names and sizes, one weight changed: only the content tells the two apart.
        Path weights = tuned.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        ModelSpec a = ModelSpec.cpu(remote(original));
        ModelSpec b = ModelSpec.cpu(remote(tuned));
        assertNotSame(ModelCache.acquire(a, Device.CPU).model(), ModelCache.acquire(b, Device.CPU).model());
        assertEquals(1, ModelCache.loadCount(a));
        assertEquals(1, ModelCache.loadCount(b));
    }

    @Test
    void aMissingHadoopPathIsNamedAndNotFetched() {
        String missing = remote(dir.resolve("absent"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelCache.acquire(ModelSpec.cpu(missing), Device.CPU));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertEquals(0, ModelPaths.copyCount(missing));
        assertEquals(0, ModelCache.loadCount(ModelSpec.cpu(missing)));
    }

    /** The path under the test's Hadoop scheme, standing in for hdfs: (absolute local path, no authority). */
    private static String remote(Path local) {
        return LoopbackFileSystem.SCHEME + "://" + local;
    }

    @Test
    void eachDecodeWeightFormatGetsItsOwnModel() {
        String lm = Fixtures.copy("causal-lm", dir.resolve("lm"), "pytorch_model.bin").toString();
        ModelSpec exact = ModelSpec.cpu(lm);
        ModelSpec half = exact.withDecodeWeights(DecodeWeights.BF16);
        BioGptModel a = ModelCache.acquire(exact, Device.CPU).model();
        BioGptModel b = ModelCache.acquire(half, Device.CPU).model();
        assertNotSame(a, b, "a bf16 caller must never get the fp32-packed model, or the other way round");
        assertEquals(DecodeWeights.FP32, a.options().decodeWeights());
        assertEquals(DecodeWeights.BF16, b.options().decodeWeights());
        assertSame(a, ModelCache.acquire(ModelSpec.cpu(lm), Device.CPU).model());
        assertSame(b, ModelCache.acquire(ModelSpec.cpu(lm + "/").withDecodeWeights(DecodeWeights.BF16), Device.CPU).model());
        assertEquals(DecodeWeights.FP32, ModelSpec.cpu(lm).decodeWeights(), "fp32 is the default");
    }

    @Test
    void failedLoadNamesThePathAndIsRetriedNextTime() throws Exception {
        Path broken = Fixtures.copy("token-classification", dir.resolve("broken"), "model.safetensors",
                "pytorch_model.bin");
        ModelSpec spec = ModelSpec.cpu(broken.toString());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCache.acquire(spec, Device.CPU));
        assertTrue(e.getMessage().contains("'" + broken + "'"), e.getMessage());
        assertEquals(0, ModelCache.loadCount(spec));
        // The weights arrive (e.g. a copy finished): the next task loads instead of repeating the error.
        Files.copy(Fixtures.model("token-classification").resolve("model.safetensors"),
                broken.resolve("model.safetensors"));
        assertTrue(ModelCache.acquire(spec, Device.CPU).loadedByThisCall());
        assertEquals(1, ModelCache.loadCount(spec));
    }

    @Test
    void missingPathIsNamed() {
        ModelSpec spec = ModelSpec.cpu(dir.resolve("nope").toString());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCache.acquire(spec, Device.CPU));
        assertTrue(e.getMessage().contains(dir.resolve("nope").toString()), e.getMessage());
    }

    @Test
    void specValidatesItsFields() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.cpu(" "));
        assertThrows(NullPointerException.class, () -> new ModelSpec("x", null));
    }
}
