package org.biogpt.spark.core.checkpoint;

/** Floating-point storage types a BioGPT checkpoint may use. Computation is always float32. */
public enum DType {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
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
