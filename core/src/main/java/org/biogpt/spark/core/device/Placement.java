package org.biogpt.spark.core.device;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * Where a model's weights, key/value cache and activations live, and in which float type it
 * computes: the CPU in f32 (the default, and the only place the Java Vector API decode kernel
 * runs), or one CUDA device in {@link GpuDtype f16 or f32}. Every native array of a model is made
 * by {@link #newManager()}, so nothing is created on another device by accident.
 *
 * <p>f16 on the CPU exists for one purpose: running the half-precision code path in CI without a
 * GPU. libtorch's f16 matmul on the CPU is very slow; nothing chooses it by default.
 *
 * @param device  DJL device (CPU, or GPU n)
 * @param compute the float type of weights and activations
 */
public record Placement(Device device, DataType compute) {
    private static final Placement CPU = new Placement(Device.cpu(), DataType.FLOAT32);

    public Placement {
        Objects.requireNonNull(device, "device");
        if (compute != DataType.FLOAT32 && compute != DataType.FLOAT16) {
            // BF16 in particular: DJL 0.36's JNI aborts the JVM on it (GpuDtype).
            throw new IllegalArgumentException("a model computes in float32 or float16, not " + compute);
        }
    }

    /** The CPU in float32. */
    public static Placement cpu() {
        return CPU;
    }

    /** CUDA device {@code ordinal}, weights and activations in {@code dtype}. */
    public static Placement gpu(int ordinal, GpuDtype dtype) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("GPU ordinal must be ≥ 0, got " + ordinal);
        }
        return new Placement(Device.gpu(ordinal), dtype.djl());
    }

    /**
     * {@code cpu}, {@code gpu} (CUDA device 0) or {@code gpu:N}, as command lines take it; a GPU
     * computes in {@code gpuDtype}.
     */
    public static Placement parse(String device, GpuDtype gpuDtype) {
        String d = device == null ? "" : device.strip().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("cpu")) {
            return cpu();
        }
        if (d.equals("gpu")) {
            return gpu(0, gpuDtype);
        }
        if (d.startsWith("gpu:")) {
            try {
                return gpu(Integer.parseInt(d.substring(4)), gpuDtype);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("device must be cpu, gpu or gpu:N; got '" + device + "'");
    }

    public boolean isGpu() {
        return device.isGpu();
    }

    /** The CPU in float32: where the Vector API kernel and Java decode step may run. */
    public boolean isHostF32() {
        return !device.isGpu() && compute == DataType.FLOAT32;
    }

    public boolean halfPrecision() {
        return compute == DataType.FLOAT16;
    }

    /**
     * Fails, saying why in words a user can act on, when this JVM's engine cannot place arrays on
     * the device (CPU-only libtorch, no driver, an ordinal it does not see).
     */
    public void requireAvailable() {
        if (isGpu()) {
            String why = GpuAvailability.whyNot(TorchEngineInfo.current(), Integer.toString(device.getDeviceId()));
            if (why != null) {
                throw new IllegalStateException("cannot place the model on " + this + ": " + why);
            }
        }
    }

    /** A new root manager on this device. */
    public NDManager newManager() {
        TorchEngine.start();
        return NDManager.newBaseManager(device, "PyTorch");
    }

    @Override
    public String toString() {
        return (isGpu() ? "gpu:" + device.getDeviceId() : "cpu") + " (" + (halfPrecision() ? "f16" : "f32") + ")";
    }
}
