package org.biogpt.spark.core.generate;

import java.util.Locale;

/**
 * When beam search stops a prompt, as Hugging Face's {@code early_stopping}: {@code TRUE} as
 * soon as {@code num_beams} hypotheses are finished; {@code FALSE} when the best running beam,
 * scored at the current length, cannot beat the worst kept hypothesis; {@code NEVER} when no
 * running beam could beat it at any length up to the maximum (canonical beam search).
 */
public enum EarlyStopping {
    TRUE, FALSE, NEVER;

    /** Parses true / false / never (case-insensitive). */
    public static EarlyStopping parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return TRUE;
            case "false":
                return FALSE;
            case "never":
                return NEVER;
            default:
                throw new IllegalArgumentException(
                        "early_stopping must be true, false or never, got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
