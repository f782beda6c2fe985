package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.biogpt.spark.jobs.ProjectHome;
import org.biogpt.spark.jobs.doctor.NodeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code doctor}: what this node offers a BioGPT task (Java, Vector API, DJL, libtorch, CUDA) and
 * whether the model would run on a GPU here, with the reason when not. Run it on a GPU node with
 * the executor's environment to check the cu128 libtorch setup before submitting a job.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Say what this node offers: Java and its Vector API, DJL, the libtorch DJL loads (version, flavor, path),",
            "CUDA devices, Spark's GPU discovery, and whether the model would run on a GPU here (and why not).",
            "Nothing is downloaded."})
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--nvidia-smi", defaultValue = "nvidia-smi",
            description = "nvidia-smi to ask about the node's GPUs (default: ${DEFAULT-VALUE} on PATH).")
    String nvidiaSmi;

    @Option(names = "--discovery-script",
            description = "Spark GPU discovery script to run (default: conf/gpu-discovery.sh of the project).")
    Path discoveryScript;

    @Option(names = "--require-gpu", description = "Exit with status 3 when the model would not run on a GPU here.")
    boolean requireGpu;

    @Override
    public Integer call() {
        Path script = discoveryScript != null ? discoveryScript : ProjectHome.home().resolve("conf/gpu-discovery.sh");
        NodeReport report = NodeReport.collect(nvidiaSmi, script);
        report.lines().forEach(System.out::println);
        return requireGpu && !report.gpuUsable() ? 3 : 0;
    }
}
