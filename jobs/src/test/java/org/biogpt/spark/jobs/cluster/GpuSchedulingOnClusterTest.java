package org.biogpt.spark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;
import org.biogpt.spark.jobs.doctor.FakeNvidiaSmi;
import org.biogpt.spark.jobs.doctor.FakeNvidiaSmi.Gpu;
import org.biogpt.spark.udfs.device.DeviceChoice;
import org.biogpt.spark.udfs.device.DeviceSelector;
import org.junit.jupiter.api.Test;

/**
 * Spark's GPU scheduling as conf/spark-defaults.gpu.conf sets it up, on a node whose two GPUs a fake
 * nvidia-smi reports through conf/gpu-discovery.sh: every task gets one GPU address from Spark, the
 * device selection reads it from {@code TaskContext.resources()}, and on this CPU-only libtorch
 * {@code auto} runs on the CPU while {@code gpu} fails naming the address and the missing CUDA libtorch.
 */
@LocalCluster(workers = 1, coresPerWorker = 2, settings = GpuSchedulingOnClusterTest.TwoFakeGpus.class)
class GpuSchedulingOnClusterTest {
    /** A worker with two GPUs found by the project's discovery script; one GPU per task. */
    public static final class TwoFakeGpus implements ClusterSettings {
        @Override
        public Map<String, String> settings() throws IOException {
            Path dir = Files.createTempDirectory("biogpt-fake-gpus");
            Path smi = FakeNvidiaSmi.install(dir, List.of(new Gpu(0, "GPU-aaaa"), new Gpu(1, "GPU-bbbb")));
            Path wrapper = FakeNvidiaSmi.discoveryWrapper(smi);
            for (Path p : List.of(dir, smi, wrapper)) {
                p.toFile().deleteOnExit();      // deleted in reverse order: the files, then the folder
            }
            return Map.of("spark.worker.resource.gpu.amount", "2",
                    "spark.worker.resource.gpu.discoveryScript", wrapper.toString(),
                    "spark.executor.resource.gpu.amount", "2",
                    "spark.task.resource.gpu.amount", "1");
        }
    }

    /** In a task: "assigned addresses;device auto picked;what device=gpu said". */
    static final class SelectDevice implements Function<Integer, String> {
        @Override
        public String call(Integer partition) {
            ResourceInformation gpus = TaskContext.get().resourcesJMap().get("gpu");
            String assigned = gpus == null ? "" : String.join(",", gpus.addresses());
            String auto = DeviceSelector.forCurrentTask(DeviceChoice.AUTO).toString();
            String gpu;
            try {
                gpu = "selected " + DeviceSelector.forCurrentTask(DeviceChoice.GPU);
            } catch (UnsupportedOperationException | IllegalStateException e) {
                gpu = e.getMessage();
            }
            return assigned + ";" + auto + ";" + gpu;
        }
    }

    @Test
    void eachTaskGetsOneGpuAddressAndTheCpuEngineSaysWhyItCannotUseIt(LocalClusterExtension.Cluster cluster) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(cluster.spark().sparkContext());
        List<String> results = jsc.parallelize(List.of(0, 1, 2, 3), 4).map(new SelectDevice()).collect();
        assertEquals(4, results.size());
        for (String r : results) {
            String[] parts = r.split(";", 3);
            assertTrue(Set.of("0", "1").contains(parts[0]), "one of the two GPUs per task: " + r);
            assertEquals("cpu", parts[1], r);
            assertTrue(parts[2].startsWith("device=gpu: Spark assigned GPU " + parts[0] + " to this task, but libtorch"), r);
            assertTrue(parts[2].contains("CPU-only build") && parts[2].contains("PYTORCH_FLAVOR=cu128"), r);
        }
    }
}
