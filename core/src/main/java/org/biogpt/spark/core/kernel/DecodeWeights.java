package org.biogpt.spark.core.kernel;

import java.util.Locale;

/**
 * The number format of the decode kernel's packed weights ({@link PackedMatrix}).
 *
 * <ul>
 *   <li>{@link #FP32}: the weights exactly as the model holds them; the default, and the only
 *       format whose results match the libtorch path to float rounding.</li>
 *   <li>{@link #BF16}: each weight rounded to bfloat16 (round to nearest even, NaN kept a NaN) and
 *       widened back to float32 in registers, so a decode step streams half the bytes. Opt-in: the
 *       logits drift from fp32 (by how much is in docs/PERFORMANCE.md). Biases stay float32, and
 *       weights that are already bfloat16 values (checkpoints stored in BF16) lose nothing.</li>
 * </ul>
 */
public enum DecodeWeights {
    FP32(4),
    BF16(2);

    private final int bytesPerWeight;

    DecodeWeights(int bytesPerWeight) {
        this.bytesPerWeight = bytesPerWeight;
    }

    /** Bytes one packed weight takes. */
    public int bytesPerWeight() {
        return bytesPerWeight;
    }

    /** The user-facing name: fp32 or bf16. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code fp32} or {@code bf16} (any case, surrounding blanks ignored). */
    public static DecodeWeights parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "fp32":
                return FP32;
            case "bf16":
                return BF16;
            default:
                throw new IllegalArgumentException("decode weights must be fp32 or bf16, got '" + name + "'");
        }
    }
}
