package org.biogpt.spark.jobs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the installed project lives (the launcher exports BIOGPT_SPARK_HOME), for bundled defaults. */
public final class ProjectHome {
    private ProjectHome() {
    }

    public static Path home() {
        String env = System.getenv("BIOGPT_SPARK_HOME");
        return Path.of(env != null ? env : System.getProperty("biogpt.home", ".")).toAbsolutePath().normalize();
    }

    /** The tiny model shipped in sample-data, so that every command runs offline. */
    public static Path sampleModel() {
        Path p = home().resolve("sample-data/models/biogpt-tiny");
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("no --model given and the bundled model is not at " + p
                    + " (set BIOGPT_SPARK_HOME to the project folder)");
        }
        return p;
    }
}
