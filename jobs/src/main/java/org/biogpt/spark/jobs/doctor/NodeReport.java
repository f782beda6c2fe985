package org.biogpt.spark.jobs.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.device.GpuAvailability;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.device.TorchEngine;
import org.biogpt.spark.core.device.TorchEngineInfo;
import org.biogpt.spark.core.kernel.SmallMatmul;

/**
 * What {@code doctor} finds on this node, one line per fact, ending with whether a task on this
 * node would place the model on a GPU and, if not, why. Facts come from the JVM, DJL's engine
 * (offline), nvidia-smi and the project's GPU discovery script, each with a time limit.
 *
 * @param lines       "topic: finding" lines in print order
 * @param gpuReason   why the model cannot run on a GPU here; null when it can
 */
public record NodeReport(List<String> lines, String gpuReason) {
    static final long TOOL_TIMEOUT_SECONDS = 30;
    private static final List<String> ENV = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION",
            "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "DJL_CACHE_DIR", "OPT_OUT_TRACKING");

    public boolean gpuUsable() {
        return gpuReason == null;
    }

    /**
     * @param nvidiaSmi       the nvidia-smi to ask (a name on PATH or a path)
     * @param discoveryScript Spark GPU discovery script to run, or null to skip it
     */
    public static NodeReport collect(String nvidiaSmi, Path discoveryScript) {
        List<String> lines = new ArrayList<>();
        Runtime.Version v = Runtime.version();
        lines.add("java: " + v + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home")
                + (v.feature() == 17 ? "" : "; this project runs on Java 17 (Hadoop's Parquet writer fails on newer ones)"));
        lines.add("vector api: " + (SmallMatmul.available()
                ? "available: CPU decode steps can run on the Java Vector API kernel (" + SmallMatmul.panelWidth()
                        + "-float panels)"
                : "not used: " + SmallMatmul.unavailableReason()));
        lines.add("environment: " + environment());

        TorchEngineInfo engine = TorchEngineInfo.current();
        lines.add("djl: " + engine.djlVersion() + ", ai.djl.offline=" + System.getProperty("ai.djl.offline")
                + ", cache " + System.getProperty(TorchEngine.CACHE_DIR, System.getenv(TorchEngine.CACHE_DIR) == null
                        ? "DJL's default" : System.getenv(TorchEngine.CACHE_DIR)));
        if (engine.startError() != null) {
            lines.add("pytorch engine: did not start: " + engine.startError());
        } else {
            lines.add("libtorch: " + engine.libtorchVersion() + ", flavor " + engine.flavor() + ", from "
                    + engine.libtorchDir() + (engine.libtorchOverride() ? " (PYTORCH_LIBRARY_PATH)" : " (bundled jar)"));
            lines.add("jni library: " + (engine.jniLibrary() == null ? "unknown (no /proc/self/maps)" : engine.jniLibrary()));
            lines.add("libtorch features: " + String.join(", ", engine.capabilities())
                    + "; CUDA build: " + (engine.cudaBuild() ? "yes" : "no (no libtorch_cuda library beside it)"));
            lines.add("cuda devices (libtorch): " + engine.cudaDevices());
        }
        lines.add("cuda devices (nvidia-smi): " + nvidiaSmi(nvidiaSmi));
        if (discoveryScript != null) {
            lines.add("spark gpu discovery (" + discoveryScript + "): " + discovery(discoveryScript, nvidiaSmi));
        }
        lines.add("gpu dtype: " + gpuDtype());
        String reason = GpuAvailability.whyNoCuda(engine);
        lines.add("gpu: " + (reason == null
                ? "used: device=gpu and device=auto place the model on the GPU Spark assigns to each task ("
                        + engine.cudaDevices() + " visible)"
                : "not used: " + reason));
        return new NodeReport(List.copyOf(lines), reason);
    }

    private static String gpuDtype() {
        try {
            return GpuDtype.configured().paramValue() + " (-Dbiogpt.gpuDtype; bf16 is not available in DJL 0.36)";
        } catch (IllegalArgumentException e) {
            return "invalid: " + e.getMessage();
        }
    }

    private static String environment() {
        StringBuilder sb = new StringBuilder();
        for (String name : ENV) {
            String value = System.getenv(name);
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append('=').append(value == null ? "unset" : value);
        }
        return sb.toString();
    }

    static String nvidiaSmi(String nvidiaSmi) {
        ExternalCommand r = ExternalCommand.run(List.of(nvidiaSmi,
                "--query-gpu=index,name,memory.total,compute_cap,driver_version", "--format=csv,noheader"),
                Map.of(), TOOL_TIMEOUT_SECONDS);
        if (!r.succeeded()) {
            return "none found: " + firstLine(r.output());
        }
        return r.output().isEmpty() ? "none listed" : String.join("; ", r.output().lines().toList());
    }

    static String discovery(Path script, String nvidiaSmi) {
        if (!Files.isRegularFile(script)) {
            return "script not found";
        }
        ExternalCommand r = ExternalCommand.run(List.of("bash", script.toString()), Map.of("NVIDIA_SMI", nvidiaSmi),
                TOOL_TIMEOUT_SECONDS);
        return r.succeeded() ? r.output() : "fails (exit " + r.exitCode() + "): " + firstLine(r.output());
    }

    private static String firstLine(String s) {
        return s.isEmpty() ? "no output" : s.lines().findFirst().orElse(s);
    }
}
