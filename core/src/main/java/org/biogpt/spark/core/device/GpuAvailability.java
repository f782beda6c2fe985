package org.biogpt.spark.core.device;

/**
 * Whether a model can run on one CUDA device of this JVM, and if not, why in words a user can act
 * on: the GPU setup is a deployment choice (README "GPU executors"), so every reason names the
 * setting that is missing.
 */
public final class GpuAvailability {
    /** The CUDA libtorch DJL 0.36's JNI library is built for. */
    public static final String LIBTORCH_VERSION = "2.7.1";
    public static final String CUDA_FLAVOR = "cu128";
    static final String SETUP = "install libtorch " + LIBTORCH_VERSION + "+" + CUDA_FLAVOR + " on the node and set "
            + "PYTORCH_LIBRARY_PATH=<its lib directory>, PYTORCH_FLAVOR=" + CUDA_FLAVOR + ", PYTORCH_VERSION="
            + LIBTORCH_VERSION + " (README \"GPU executors\"; bin/biogpt-spark doctor checks a node)";

    private GpuAvailability() {
    }

    /** Why the engine cannot run anything on CUDA at all; null when it can. */
    public static String whyNoCuda(TorchEngineInfo info) {
        if (info.startError() != null) {
            String hint = System.getenv(TorchEngineInfo.LIBRARY_PATH) != null && System.getenv(TorchEngineInfo.FLAVOR) == null
                    ? " (PYTORCH_LIBRARY_PATH is set but PYTORCH_FLAVOR is not: set PYTORCH_FLAVOR=" + CUDA_FLAVOR + ")"
                    : "";
            return "the PyTorch engine did not start: " + info.startError() + hint;
        }
        if (info.cudaAvailable()) {
            return null;
        }
        String lib = "libtorch " + info.libtorchVersion() + " (" + info.flavor() + ") from " + info.libtorchDir();
        if (!info.cudaBuild()) {
            return lib + " is a CPU-only build: " + SETUP;
        }
        if (!info.flavor().startsWith("cu")) {
            return lib + " is a CUDA build but DJL paired it with its " + info.flavor() + " JNI library: set PYTORCH_FLAVOR="
                    + CUDA_FLAVOR;
        }
        if (!info.capabilities().contains(TorchEngineInfo.CUDA)) {
            return lib + " is a CUDA build, but CUDA is not available to it: no NVIDIA driver, or no device visible"
                    + " to this process (CUDA_VISIBLE_DEVICES=" + visibleDevices() + ")";
        }
        return lib + " reports CUDA but no CUDA device (CUDA_VISIBLE_DEVICES=" + visibleDevices() + ")";
    }

    /**
     * Why the model cannot run on the CUDA device with this address (an ordinal as Spark's GPU
     * discovery script reports it); null when it can.
     */
    public static String whyNot(TorchEngineInfo info, String address) {
        String noCuda = whyNoCuda(info);
        if (noCuda != null) {
            return noCuda;
        }
        int ordinal;
        try {
            ordinal = Integer.parseInt(address.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return "GPU address '" + address + "' is not a CUDA device ordinal: the GPU discovery script must report"
                    + " ordinals (conf/gpu-discovery.sh does)";
        }
        if (ordinal < 0 || ordinal >= info.cudaDevices()) {
            return "GPU address " + ordinal + " is not one of the " + info.cudaDevices() + " CUDA devices this process"
                    + " sees (CUDA_VISIBLE_DEVICES=" + visibleDevices() + "): the discovery script and the executor's"
                    + " environment disagree";
        }
        return null;
    }

    private static String visibleDevices() {
        String v = System.getenv("CUDA_VISIBLE_DEVICES");
        return v == null ? "unset" : "'" + v + "'";
    }
}
