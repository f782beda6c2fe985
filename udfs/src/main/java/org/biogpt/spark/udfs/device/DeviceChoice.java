package org.biogpt.spark.udfs.device;

import java.util.Locale;

/** What a stage asks for: CPU only, the task's GPU (required), or the task's GPU when it has one. */
public enum DeviceChoice {
    CPU, GPU, AUTO;

    /** Parses {@code cpu|gpu|auto} (any case); the error names the accepted values. */
    public static DeviceChoice parse(String value) {
        if (value != null) {
            for (DeviceChoice c : values()) {
                if (c.name().equalsIgnoreCase(value.strip())) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("device must be one of cpu, gpu, auto; got '" + value + "'");
    }

    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
