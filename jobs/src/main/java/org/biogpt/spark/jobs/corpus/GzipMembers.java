package org.biogpt.spark.jobs.corpus;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;
import org.biogpt.spark.jobs.io.SingleByteRead;

/**
 * A gzip stream of one or more members (RFC 1952; {@code cat a.gz b.gz} and bgzip write several) that
 * accepts nothing else. The JDK's {@code GZIPInputStream} treats whatever follows a member and does not
 * start with the gzip magic as the end of the data, so a damaged second member or trailing garbage
 * silently cuts the file short. Here every member's CRC-32 and length are checked, and any bytes after
 * a member that are not a complete gzip member are an error naming their byte offset in the file.
 */
final class GzipMembers extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    /** File offset of buf[0]. */
    private long bufStart;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberStart;
    private int members;
    private boolean inMember;
    private boolean eof;

    GzipMembers(InputStream in) throws IOException {
        this.in = in;
        if (!startMember()) {
            throw new ZipException("empty file: not in gzip format");
        }
    }

    private long offset() {
        return bufStart + pos;
    }

    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        bufStart += lim;
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        lim = n;
        return true;
    }

    private int readByte() throws IOException {
        if (!fill()) {
            throw new EOFException("gzip member " + (members + 1) + " starting at byte offset " + memberStart
                    + " is truncated (file ends at byte " + offset() + ")");
        }
        return buf[pos++] & 0xff;
    }

    /** Reads the next member's header; false at a clean end of the file after a complete member. */
    private boolean startMember() throws IOException {
        if (!fill()) {
            return false;
        }
        memberStart = offset();
        int id1 = readByte();
        int id2 = fill() ? readByte() : -1;
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException(members == 0 ? "not in gzip format (byte offset 0)"
                    : "bytes at byte offset " + memberStart + ", after gzip member " + members
                    + ", are not a gzip member (damaged member or trailing garbage)");
        }
        if (readByte() != 8) {
            throw new ZipException("gzip member " + (members + 1) + " at byte offset " + memberStart
                    + " uses an unknown compression method");
        }
        int flags = readByte();
        for (int i = 0; i < 6; i++) {
            readByte(); // MTIME, XFL, OS
        }
        if ((flags & FEXTRA) != 0) {
            int len = readByte() | (readByte() << 8);
            for (int i = 0; i < len; i++) {
                readByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (readByte() != 0) {
                // file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte() != 0) {
                // comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            readByte();
            readByte();
        }
        inflater.reset();
        crc.reset();
        inMember = true;
        return true;
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.from(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            if (!inMember) {
                if (!startMember()) {
                    eof = true;
                    return -1;
                }
            }
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("gzip member " + (members + 1) + " starting at byte offset " + memberStart
                            + " is truncated (file ends at byte " + offset() + ")");
                }
                inflater.setInput(buf, pos, lim - pos);
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt deflate data in gzip member " + (members + 1) + " starting at byte offset "
                        + memberStart + " (" + e.getMessage() + ")");
            }
            pos = lim - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + (members + 1) + " at byte offset " + memberStart
                        + " needs a preset dictionary");
            }
        }
        return -1;
    }

    private void endMember() throws IOException {
        long expectedCrc = readLe32();
        long expectedSize = readLe32();
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("CRC-32 mismatch in gzip member " + (members + 1) + " starting at byte offset "
                    + memberStart);
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("length mismatch in gzip member " + (members + 1) + " starting at byte offset "
                    + memberStart);
        }
        members++;
        inMember = false;
    }

    private long readLe32() throws IOException {
        return readByte() | (readByte() << 8) | (readByte() << 16) | ((long) readByte() << 24);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
