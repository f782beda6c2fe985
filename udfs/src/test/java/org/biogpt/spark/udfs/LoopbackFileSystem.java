package org.biogpt.spark.udfs;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system of its own scheme ({@code loopbackfs:}) over the local disk, so that the remote-path
 * code (qualifying, copying, content identity) runs in tests without a cluster: {@code loopbackfs:///tmp/m}
 * is {@code /tmp/m}. Registered under {@code fs.loopbackfs.impl} in the test {@code core-site.xml}.
 */
public class LoopbackFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "loopbackfs";
    private static final URI ROOT = URI.create(SCHEME + ":///");

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}
