package org.biogpt.spark.udfs.device;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.biogpt.spark.core.device.GpuAvailability;
import org.biogpt.spark.core.device.TorchEngineInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device of a task from the resources Spark assigned to it
 * ({@code spark.task.resource.gpu.amount} → {@code TaskContext.resources().get("gpu")}).
 *
 * <p>{@code gpu} fails the task, with the reason, when Spark assigned no GPU or the model cannot
 * run on the one it assigned; it never runs silently on the CPU. {@code auto} uses the assigned GPU
 * when it can and otherwise the CPU, logging the reason once per JVM.
 */
public final class DeviceSelector {
    /** Resource name Spark uses for GPUs in {@code spark.task.resource.gpu.amount}. */
    public static final String GPU_RESOURCE = "gpu";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private DeviceSelector() {
    }

    /**
     * @param choice    what the stage asked for
     * @param resources the task's resources by name (empty outside a task or without GPU scheduling)
     * @param gpuCheck  whether the model can run on an assigned GPU; only asked when one is assigned
     */
    public static Device select(DeviceChoice choice, Map<String, ResourceInformation> resources, GpuCheck gpuCheck) {
        if (choice == DeviceChoice.CPU) {
            return Device.CPU;
        }
        String address = assignedGpu(resources);
        if (address == null) {
            if (choice == DeviceChoice.GPU) {
                throw new IllegalStateException("device=gpu but Spark assigned no GPU to this task: set "
                        + "spark.executor.resource.gpu.amount, spark.task.resource.gpu.amount and a GPU discovery "
                        + "script (conf/spark-defaults.gpu.conf), or use device=auto to fall back to the CPU");
            }
            return Device.CPU;
        }
        String why = gpuCheck.whyNot(address);
        if (why == null) {
            return Device.gpu(address);
        }
        if (choice == DeviceChoice.GPU) {
            throw new UnsupportedOperationException("device=gpu: Spark assigned GPU " + address
                    + " to this task, but " + why + "; or use device=auto to fall back to the CPU");
        }
        if (LOGGED.add(why)) {
            LOG.warn("device=auto: GPU {} assigned to this task, but {}; using the CPU", address, why);
        }
        return Device.CPU;
    }

    /** The first GPU address Spark assigned, or null. */
    static String assignedGpu(Map<String, ResourceInformation> resources) {
        ResourceInformation gpus = resources == null ? null : resources.get(GPU_RESOURCE);
        return gpus == null || gpus.addresses().length == 0 ? null : gpus.addresses()[0];
    }

    /** Whether this JVM's engine can place the model on a CUDA device: its libtorch must have CUDA and see the device. */
    public static String whyNotOnThisJvm(String address) {
        return GpuAvailability.whyNot(TorchEngineInfo.current(), address);
    }

    /** The device for the calling Spark task (CPU-only when called outside a task, e.g. on the driver). */
    public static Device forCurrentTask(DeviceChoice choice) {
        TaskContext ctx = TaskContext.get();
        Map<String, ResourceInformation> resources = ctx == null ? Map.of() : ctx.resourcesJMap();
        return select(choice, resources, DeviceSelector::whyNotOnThisJvm);
    }
}
