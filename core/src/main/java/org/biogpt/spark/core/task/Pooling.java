package org.biogpt.spark.core.task;

import java.util.Locale;

/** How a document's hidden states become one vector. */
public enum Pooling {
    /** Mean of last_hidden_state over the real tokens. */
    MEAN,
    /** last_hidden_state at the last real token (what a causal model has read the whole text at). */
    LAST;

    public static Pooling parse(String value) {
        if (value != null) {
            for (Pooling p : values()) {
                if (p.name().equalsIgnoreCase(value.strip())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("pooling must be one of mean, last; got '" + value + "'");
    }

    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
