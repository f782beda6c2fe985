package org.biogpt.spark.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A JVM that did not say where libtorch unpacks uses the launcher's folder, not DJL's ~/.djl.ai. */
class DjlCacheDirTest {
    @Test
    void unsetMeansTheLaunchersFolderUnderHome() {
        assertEquals("/home/ann/.cache/biogpt-spark/djl", TorchEngine.defaultCacheDir(null, null, "/home/ann"));
        assertEquals("/home/ann/.cache/biogpt-spark/djl", TorchEngine.defaultCacheDir(" ", "", "/home/ann"));
    }

    @Test
    void aPropertyOrEnvironmentVariableTheUserSetWins() {
        assertNull(TorchEngine.defaultCacheDir("/data/djl", null, "/home/ann"));
        assertNull(TorchEngine.defaultCacheDir(null, "./djl-cache", "/home/ann"));
    }

    @Test
    void withoutAHomeDjlDecides() {
        assertNull(TorchEngine.defaultCacheDir(null, null, null));
        assertNull(TorchEngine.defaultCacheDir(null, null, "?"));
    }
}
