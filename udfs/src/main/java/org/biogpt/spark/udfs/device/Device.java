package org.biogpt.spark.udfs.device;

import java.io.Serializable;
import java.util.Objects;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.device.Placement;

/**
 * Where a model runs: the CPU, or one GPU by the address Spark's resource scheduler gave the task
 * (an ordinal such as {@code "0"}). Part of the model-cache key, so an executor with two GPUs holds
 * one model per GPU its tasks were assigned.
 */
public record Device(Kind kind, String address) implements Serializable {
    public enum Kind { CPU, GPU }

    public static final Device CPU = new Device(Kind.CPU, null);

    public Device {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.GPU && (address == null || address.isBlank())) {
            throw new IllegalArgumentException("a GPU device needs an address");
        }
        if (kind == Kind.CPU && address != null) {
            throw new IllegalArgumentException("the CPU device has no address");
        }
    }

    public static Device gpu(String address) {
        return new Device(Kind.GPU, address);
    }

    public boolean isGpu() {
        return kind == Kind.GPU;
    }

    /** Where a model for this device lives: the CPU in f32, or this GPU in {@code gpuDtype}. */
    public Placement placement(GpuDtype gpuDtype) {
        if (!isGpu()) {
            return Placement.cpu();
        }
        try {
            return Placement.gpu(Integer.parseInt(address.strip()), gpuDtype);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU address '" + address + "' is not a CUDA device ordinal", e);
        }
    }

    @Override
    public String toString() {
        return isGpu() ? "gpu:" + address : "cpu";
    }
}
