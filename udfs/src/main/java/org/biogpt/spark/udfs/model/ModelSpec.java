package org.biogpt.spark.udfs.model;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.udfs.device.DeviceChoice;

/**
 * Which checkpoint an executor runs, and on what kind of device. It travels to the executors inside
 * the partition function; the weights never do. How the rows are run (batching, length policy,
 * threads) is core's {@code RunSettings}, per call: {@link ModelCache} keeps one model per checkpoint,
 * device and decode-weight format, whatever the callers' settings.
 *
 * @param path          local path, {@code file:}/{@code hdfs:}/{@code s3a:} URI, or a name shipped with
 *                      {@code --files}/{@code --archives} (see {@link ModelPaths})
 * @param device        cpu, gpu or auto
 * @param decodeWeights number format of the decode kernel's packed weights (fp32, exact, unless a
 *                      generating caller opts into bf16)
 */
public record ModelSpec(String path, DeviceChoice device, DecodeWeights decodeWeights) implements Serializable {

    public ModelSpec {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("model path must be set");
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(decodeWeights, "decodeWeights");
    }

    /** A spec with the exact fp32 decode weights. */
    public ModelSpec(String path, DeviceChoice device) {
        this(path, device, DecodeWeights.FP32);
    }

    public ModelSpec withDecodeWeights(DecodeWeights format) {
        return new ModelSpec(path, device, format);
    }

    public static ModelSpec cpu(String path) {
        return new ModelSpec(path, DeviceChoice.CPU);
    }
}
