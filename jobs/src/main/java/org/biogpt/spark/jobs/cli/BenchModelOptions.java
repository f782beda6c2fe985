package org.biogpt.spark.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.device.GpuDtype;
import org.biogpt.spark.core.device.Placement;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.ModelOptions;
import picocli.CommandLine.Option;

/** How {@code bench} loads the checkpoint it measures: decode kernel, the kernel's weight formats, device. */
final class BenchModelOptions {
    @Option(names = "--decode-kernel", defaultValue = "true", arity = "1",
            description = "Decode steps of up to 64 rows (-Dbiogpt.maxKernelRows) in Java on the Vector API kernel (needs --add-modules jdk.incubator.vector; default: ${DEFAULT-VALUE}).")
    boolean decodeKernel;

    @Option(names = "--decode-weights", split = ",", defaultValue = "fp32",
            description = "Number format of the decode kernel's packed weights: fp32 (exact) or bf16 (half the bytes); "
                    + "comma-separated to run each, interleaved, over the same loaded weights (--task: the first) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> decodeWeights;

    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu, gpu or gpu:N: where the model's weights, cache and activations live (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--gpu-dtype", defaultValue = "f16",
            description = "On a GPU: f16 or f32 weights and activations (bf16 is not available in DJL 0.36; default: ${DEFAULT-VALUE}).")
    String gpuDtype;

    /** The model's options with {@code threads}; the decode weights are the first --decode-weights format. */
    ModelOptions modelOptions(int threads) {
        return ModelOptions.defaults().withThreads(threads).withDecodeKernel(decodeKernel)
                .withPlacement(Placement.parse(device, GpuDtype.parse(gpuDtype))).withDecodeWeights(decodeFormats().get(0));
    }

    /** --decode-weights, each once, in the order given. */
    List<DecodeWeights> decodeFormats() {
        List<DecodeWeights> formats = new ArrayList<>();
        for (String f : decodeWeights) {
            DecodeWeights w = DecodeWeights.parse(f);
            if (!formats.contains(w)) {
                formats.add(w);
            }
        }
        return formats;
    }
}
