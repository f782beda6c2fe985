package org.biogpt.spark.core.checkpoint;

/** Floating-point storage types a BioGPT checkpoint may use. Computation is always float32. */
public enum DType {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Parses a user-facing name: f32, f16 or bf16 (any case). */
    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "' (expected f32, f16 or bf16)");
    }

    /** Parses a safetensors dtype name; other names (I64, F64, ...) are not weights we can use. */
    public static DType fromSafetensors(String name, String tensor) {
        switch (name) {
            case "F32": return F32;
            case "F16": return F16;
            case "BF16": return BF16;
            default:
                throw new CheckpointException("tensor '" + tensor + "' has unsupported dtype " + name
                        + " (supported: F32, F16, BF16)");
        }
    }
}
