package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a ZIP archive, ZIP64 included, read directly from a channel.
 * {@code java.util.zip} hides where an entry's bytes start, and {@code torch.save} archives
 * (STORED entries, often over 4 GiB) are only useful if tensor records can be memory-mapped
 * in place, so this reader exposes each entry's data offset.
 */
final class ZipDirectory {
    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_LEN = 22;
    private static final long U32_MAX = 0xffffffffL;
    /** A central directory beyond this is not a checkpoint's (a few hundred entries): refuse, don't allocate. */
    private static final long MAX_CENTRAL_DIR = 64L * 1024 * 1024;

    /** One entry: where its (possibly compressed) bytes lie in the file. */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    private final Path path;
    private final Map<String, Entry> entries;

    private ZipDirectory(Path path, Map<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    Entry get(String name) {
        return entries.get(name);
    }

    static ZipDirectory read(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        long eocd = findEndOfCentralDirectory(path, ch, size);
        ByteBuffer e = CheckpointChannel.readAt(ch, eocd, EOCD_LEN);
        long count = e.getShort(10) & 0xffff;
        long cdSize = e.getInt(12) & U32_MAX;
        long cdOffset = e.getInt(16) & U32_MAX;
        if (eocd >= 20) {
            ByteBuffer loc = CheckpointChannel.readAt(ch, eocd - 20, 20);
            if (loc.getInt(0) == ZIP64_LOCATOR_SIG) {
                long z64 = loc.getLong(8);
                if (z64 < 0 || z64 + 56 > size) {
                    throw bad(path, "ZIP64 end record offset " + z64 + " is outside the file");
                }
                ByteBuffer r = CheckpointChannel.readAt(ch, z64, 56);
                if (r.getInt(0) != ZIP64_EOCD_SIG) {
                    throw bad(path, "ZIP64 end record signature missing");
                }
                count = r.getLong(32);
                cdSize = r.getLong(40);
                cdOffset = r.getLong(48);
            }
        }
        if (cdSize < 0 || cdOffset < 0 || cdSize > MAX_CENTRAL_DIR || cdOffset + cdSize > size) {
            throw bad(path, "central directory [" + cdOffset + ", +" + cdSize + ") does not fit the file of "
                    + size + " bytes");
        }
        ByteBuffer cd = CheckpointChannel.readAt(ch, cdOffset, (int) cdSize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int pos = 0;
        for (long i = 0; i < count; i++) {
            if (pos + 46 > cdSize || cd.getInt(pos) != CENTRAL_SIG) {
                throw bad(path, "central directory entry " + i + " is malformed");
            }
            int method = cd.getShort(pos + 10) & 0xffff;
            long csize = cd.getInt(pos + 20) & U32_MAX;
            long usize = cd.getInt(pos + 24) & U32_MAX;
            int nameLen = cd.getShort(pos + 28) & 0xffff;
            int extraLen = cd.getShort(pos + 30) & 0xffff;
            int commentLen = cd.getShort(pos + 32) & 0xffff;
            long local = cd.getInt(pos + 42) & U32_MAX;
            int next = pos + 46 + nameLen + extraLen + commentLen;
            if (next > cdSize) {
                throw bad(path, "central directory entry " + i + " runs past the directory");
            }
            byte[] nameBytes = new byte[nameLen];
            cd.get(pos + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values appear, in this order, only for fields set to 0xffffffff.
            int x = pos + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = cd.getShort(x) & 0xffff;
                int len = cd.getShort(x + 2) & 0xffff;
                if (x + 4 + len > xEnd) {
                    break;
                }
                if (id == 0x0001) {
                    int p = x + 4;
                    if (usize == U32_MAX && p + 8 <= x + 4 + len) {
                        usize = cd.getLong(p);
                        p += 8;
                    }
                    if (csize == U32_MAX && p + 8 <= x + 4 + len) {
                        csize = cd.getLong(p);
                        p += 8;
                    }
                    if (local == U32_MAX && p + 8 <= x + 4 + len) {
                        local = cd.getLong(p);
                    }
                }
                x += 4 + len;
            }
            entries.put(name, new Entry(name, method, csize, usize, dataOffset(path, ch, name, local, csize, size)));
            pos = next;
        }
        return new ZipDirectory(path, entries);
    }

    /** The local header repeats the name and has its own extra field (torch pads it to align data). */
    private static long dataOffset(Path path, FileChannel ch, String name, long local, long csize, long size)
            throws IOException {
        if (local < 0 || local + 30 > size) {
            throw bad(path, "entry '" + name + "' has a local header offset outside the file");
        }
        ByteBuffer h = CheckpointChannel.readAt(ch, local, 30);
        if (h.getInt(0) != LOCAL_SIG) {
            throw bad(path, "entry '" + name + "' has no local header at offset " + local);
        }
        long data = local + 30 + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
        if (csize < 0 || data + csize > size) {
            throw bad(path, "entry '" + name + "' (" + csize + " bytes at " + data
                    + ") extends past the end of the file (truncated?)");
        }
        return data;
    }

    private static long findEndOfCentralDirectory(Path path, FileChannel ch, long size) throws IOException {
        if (size < EOCD_LEN) {
            throw bad(path, "file of " + size + " bytes is too small to be a zip archive");
        }
        int tail = (int) Math.min(size, EOCD_LEN + 65535L);
        ByteBuffer b = CheckpointChannel.readAt(ch, size - tail, tail);
        for (int i = tail - EOCD_LEN; i >= 0; i--) {
            if (b.getInt(i) == EOCD_SIG) {
                return size - tail + i;
            }
        }
        throw bad(path, "no zip end-of-central-directory record (truncated or not a zip archive)");
    }

    private static CheckpointException bad(Path path, String what) {
        return new CheckpointException(path + ": " + what);
    }

    @Override
    public String toString() {
        return "ZipDirectory[" + path + ", " + entries.size() + " entries]";
    }
}
