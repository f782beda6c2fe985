package org.biogpt.spark.udfs.device;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device of a task from the resources Spark assigned to it
 * ({@code spark.task.resource.gpu.amount} → {@code TaskContext.resources().get("gpu")}).
 *
 * <p>The core model currently runs on CPU only ({@code gpuSupported = false} in
 * {@link #forCurrentTask}): {@code auto} then falls back to the CPU with a warning, and {@code gpu}
 * fails the task rather than silently running on the CPU.
 */
public final class DeviceSelector {
    /** Resource name Spark uses for GPUs in {@code spark.task.resource.gpu.amount}. */
    public static final String GPU_RESOURCE = "gpu";
    /** Whether the core forward pass can place weights on a GPU in this build. */
    public static final boolean CORE_SUPPORTS_GPU = false;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);

    private DeviceSelector() {
    }

    /**
     * @param choice       what the stage asked for
     * @param resources    the task's resources by name (empty outside a task or without GPU scheduling)
     * @param gpuSupported whether the model can run on a GPU at all
     */
    public static Device select(DeviceChoice choice, Map<String, ResourceInformation> resources, boolean gpuSupported) {
        if (choice == DeviceChoice.CPU) {
            return Device.CPU;
        }
        ResourceInformation gpus = resources == null ? null : resources.get(GPU_RESOURCE);
        String address = gpus == null || gpus.addresses().length == 0 ? null : gpus.addresses()[0];
        if (choice == DeviceChoice.GPU) {
            if (address == null) {
                throw new IllegalStateException("device=gpu but Spark assigned no GPU to this task: set "
                        + "spark.executor.resource.gpu.amount, spark.task.resource.gpu.amount and a GPU discovery "
                        + "script (see conf/), or use device=auto to fall back to the CPU");
            }
            if (!gpuSupported) {
                throw new UnsupportedOperationException("device=gpu: Spark assigned GPU " + address
                        + " but this build's core model runs on CPU only; use device=cpu or auto");
            }
            return Device.gpu(address);
        }
        if (address == null) {
            return Device.CPU;
        }
        if (!gpuSupported) {
            LOG.warn("device=auto: GPU {} assigned to this task, but the core model runs on CPU only; using the CPU",
                    address);
            return Device.CPU;
        }
        return Device.gpu(address);
    }

    /** The device for the calling Spark task (CPU-only when called outside a task, e.g. on the driver). */
    public static Device forCurrentTask(DeviceChoice choice) {
        TaskContext ctx = TaskContext.get();
        Map<String, ResourceInformation> resources = ctx == null ? Map.of() : ctx.resourcesJMap();
        return select(choice, resources, CORE_SUPPORTS_GPU);
    }
}
