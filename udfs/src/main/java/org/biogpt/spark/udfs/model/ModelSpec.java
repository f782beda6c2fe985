package org.biogpt.spark.udfs.model;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.core.model.LengthPolicy;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.udfs.device.DeviceChoice;

/**
 * Which checkpoint an executor loads and how: the key of {@link ModelCache}. It travels to the
 * executors inside the partition function; the weights never do.
 *
 * @param path           local path, {@code file:}/{@code hdfs:}/{@code s3a:} URI, or a name shipped with
 *                       {@code --files}/{@code --archives} (see {@link ModelPaths})
 * @param device         cpu, gpu or auto
 * @param intraOpThreads libtorch intra-op threads per task thread (normally {@code spark.task.cpus})
 * @param lengthPolicy   rows longer than the model's positions: error or truncate
 */
public record ModelSpec(String path, DeviceChoice device, int intraOpThreads, LengthPolicy lengthPolicy)
        implements Serializable {

    public ModelSpec {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("model path must be set");
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(lengthPolicy, "lengthPolicy");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
        }
    }

    public static ModelSpec cpu(String path) {
        return new ModelSpec(path, DeviceChoice.CPU, 1, LengthPolicy.ERROR);
    }

    public ModelOptions options() {
        return new ModelOptions(intraOpThreads, lengthPolicy);
    }
}
