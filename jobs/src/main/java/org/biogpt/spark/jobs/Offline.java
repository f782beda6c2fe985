package org.biogpt.spark.jobs;

/** Keeps DJL off the network: no engine-start telemetry, no model-zoo or library downloads. */
public final class Offline {
    private Offline() {
    }

    public static void enforce() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
