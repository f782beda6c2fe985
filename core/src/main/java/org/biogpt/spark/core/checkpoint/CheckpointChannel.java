package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The read-only file channel a weights reader keeps open to map tensors from: opened once, handed to
 * the reader's header parsing, and closed again if that parsing fails, so a bad checkpoint never
 * leaks an open file.
 */
final class CheckpointChannel {
    private CheckpointChannel() {
    }

    /** Parses a checkpoint's header from its open channel into the reader that keeps the channel. */
    interface HeaderReader<T> {
        T read(FileChannel channel) throws IOException;
    }

    /**
     * Opens {@code path} read-only and returns what {@code reader} makes of it; the channel then
     * belongs to that result. A failure to open, read or parse is a {@link CheckpointException}
     * naming the file, and the channel is closed.
     */
    static <T> T open(Path path, HeaderReader<T> reader) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException("cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            return reader.read(ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** {@code len} bytes at {@code pos} on the heap, little-endian, ready to read. */
    static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (pos + b.position()));
            }
        }
        return b.flip();
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a read-only channel: nothing to recover
        }
    }
}
