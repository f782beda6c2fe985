package org.biogpt.spark.jobs.enrich;

import java.util.Locale;

/** What enrich does with an existing output directory. */
public enum WriteMode {
    /** Refuse to touch an existing output (the default: nothing is lost by accident). */
    ERROR,
    /** Replace the output. */
    OVERWRITE,
    /** Keep the output and add only documents whose id is not in it yet (nightly update runs). */
    INCREMENTAL;

    public static WriteMode parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + name + "' (expected error, overwrite or incremental)");
        }
    }
}
