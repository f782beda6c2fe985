package org.biogpt.spark.udfs.model;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.udfs.device.DeviceChoice;

/**
 * Which checkpoint an executor runs, and on what kind of device. It travels to the executors inside
 * the partition function; the weights never do. How the rows are run (batching, length policy,
 * threads) is core's {@code RunSettings}, per call: {@link ModelCache} keeps one model per checkpoint
 * and device, whatever the callers' settings.
 *
 * @param path   local path, {@code file:}/{@code hdfs:}/{@code s3a:} URI, or a name shipped with
 *               {@code --files}/{@code --archives} (see {@link ModelPaths})
 * @param device cpu, gpu or auto
 */
public record ModelSpec(String path, DeviceChoice device) implements Serializable {

    public ModelSpec {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("model path must be set");
        }
        Objects.requireNonNull(device, "device");
    }

    public static ModelSpec cpu(String path) {
        return new ModelSpec(path, DeviceChoice.CPU);
    }
}
