package org.biogpt.spark.udfs.device;

/** Whether the model can run on the GPU with a given Spark resource address. */
@FunctionalInterface
public interface GpuCheck {
    /** Why the model cannot run on GPU {@code address}, in words a user can act on; null when it can. */
    String whyNot(String address);
}
