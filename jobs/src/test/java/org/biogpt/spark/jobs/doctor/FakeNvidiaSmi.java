package org.biogpt.spark.jobs.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * An executable named nvidia-smi in a directory of its own, answering the two queries this project
 * makes (the discovery script's index,uuid and doctor's listing) for a node with the given GPUs,
 * and failing on any other arguments, so a changed query cannot pass unnoticed.
 */
public final class FakeNvidiaSmi {
    /** This project's Spark GPU discovery script, conf/gpu-discovery.sh. */
    public static final Path DISCOVERY_SCRIPT =
            Path.of(System.getProperty("user.dir"), "..", "conf", "gpu-discovery.sh").normalize();

    /** One fake GPU: nvidia-smi index and UUID. */
    public record Gpu(int index, String uuid) {
    }

    private FakeNvidiaSmi() {
    }

    public static Path install(Path dir, List<Gpu> gpus) throws IOException {
        StringBuilder ids = new StringBuilder();
        StringBuilder listing = new StringBuilder();
        for (Gpu g : gpus) {
            ids.append(g.index()).append(", ").append(g.uuid()).append('\n');
            listing.append(g.index()).append(", NVIDIA H100 80GB HBM3, 81559 MiB, 9.0, 570.86.15\n");
        }
        return write(dir, "case \"$*\" in\n"
                + "  '--query-gpu=index,uuid --format=csv,noheader') printf '%s' '" + ids + "' ;;\n"
                + "  '--query-gpu=index,name,memory.total,compute_cap,driver_version --format=csv,noheader') printf '%s' '"
                + listing + "' ;;\n"
                + "  *) echo \"fake nvidia-smi: unexpected arguments: $*\" >&2; exit 2 ;;\n"
                + "esac\n");
    }

    /** An nvidia-smi that fails the way it does when the driver is not loaded. */
    static Path installBroken(Path dir) throws IOException {
        return write(dir, "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9\n");
    }

    /** An executable beside {@code smi} that runs {@link #DISCOVERY_SCRIPT} against that nvidia-smi, for Spark to call. */
    public static Path discoveryWrapper(Path smi) throws IOException {
        Path wrapper = smi.resolveSibling("discover-gpus.sh");
        Files.writeString(wrapper, "#!/usr/bin/env bash\nNVIDIA_SMI='" + smi + "' exec bash '" + DISCOVERY_SCRIPT + "'\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    private static Path write(Path dir, String body) throws IOException {
        Files.createDirectories(dir);
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return smi;
    }
}
