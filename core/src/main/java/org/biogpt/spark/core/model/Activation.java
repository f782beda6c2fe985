package org.biogpt.spark.core.model;

import java.util.List;

/** Names of the feed-forward activations the forward pass implements (Hugging Face ACT2FN keys). */
public final class Activation {
    public static final List<String> SUPPORTED = List.of("gelu", "relu");

    private Activation() {
    }

    public static boolean isSupported(String name) {
        return SUPPORTED.contains(name);
    }
}
