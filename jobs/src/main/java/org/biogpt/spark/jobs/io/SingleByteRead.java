package org.biogpt.spark.jobs.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@link InputStream#read()} for a stream whose block read does the real work (checks, timeouts), so
 * a single-byte read takes the same path instead of bypassing it.
 */
public final class SingleByteRead {
    private SingleByteRead() {
    }

    /** The next byte of {@code in} (0 to 255) through its {@code read(byte[], int, int)}, or -1 at the end. */
    public static int from(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n = in.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
