package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A JVM that did not say where libtorch unpacks uses the launcher's folder, not DJL's ~/.djl.ai. */
class DjlCacheDirTest {
    @Test
    void unsetMeansTheLaunchersFolderUnderHome() {
        assertEquals("/home/ann/.cache/biogpt-spark/djl", DjlRuntime.defaultCacheDir(null, null, "/home/ann"));
        assertEquals("/home/ann/.cache/biogpt-spark/djl", DjlRuntime.defaultCacheDir(" ", "", "/home/ann"));
    }

    @Test
    void aPropertyOrEnvironmentVariableTheUserSetWins() {
        assertNull(DjlRuntime.defaultCacheDir("/data/djl", null, "/home/ann"));
        assertNull(DjlRuntime.defaultCacheDir(null, "./djl-cache", "/home/ann"));
    }

    @Test
    void withoutAHomeDjlDecides() {
        assertNull(DjlRuntime.defaultCacheDir(null, null, null));
        assertNull(DjlRuntime.defaultCacheDir(null, null, "?"));
    }
}
