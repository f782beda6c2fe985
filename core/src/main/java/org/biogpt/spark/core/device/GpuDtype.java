package org.biogpt.spark.core.device;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type of the weights and activations of a model placed on a GPU
 * ({@code --gpu-dtype}). On the CPU the model always computes in f32 (libtorch's f16 matmul on
 * CPU is orders of magnitude slower than its f32 one).
 *
 * <p>bf16 is refused by name, on every device: DJL 0.36's PyTorch JNI maps data types to libtorch
 * with a switch that has no bfloat16 case and ends in a bare {@code throw;}, so creating or
 * converting to a BF16 NDArray terminates the JVM instead of failing. f16 is therefore the
 * default half type on a GPU; checkpoints stored in bf16 are widened to f32 in Java at load and
 * narrowed to f16 on the device.
 */
public enum GpuDtype {
    F16(DataType.FLOAT16), F32(DataType.FLOAT32);

    public static final GpuDtype DEFAULT = F16;

    private final DataType djl;

    GpuDtype(DataType djl) {
        this.djl = djl;
    }

    public DataType djl() {
        return djl;
    }

    /** {@code f16|fp16|float16|f32|fp32|float32} (any case); bf16 fails saying why. */
    public static GpuDtype parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "f16": case "fp16": case "float16": case "half":
                return F16;
            case "f32": case "fp32": case "float32": case "float":
                return F32;
            case "bf16": case "bfloat16":
                throw new IllegalArgumentException("gpu dtype bf16 is not available: DJL 0.36's PyTorch JNI has no "
                        + "bfloat16 type (any BF16 tensor aborts the JVM); use f16 (default) or f32");
            default:
                throw new IllegalArgumentException("gpu dtype must be f16 or f32; got '" + value + "'");
        }
    }

    /** {@code -Dbiogpt.gpuDtype} of this JVM (an executor's extraJavaOptions), else the default. */
    public static GpuDtype configured() {
        String v = System.getProperty("biogpt.gpuDtype");
        return v == null || v.isBlank() ? DEFAULT : parse(v);
    }

    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
