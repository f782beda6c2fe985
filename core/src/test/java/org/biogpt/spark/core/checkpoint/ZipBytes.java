package org.biogpt.spark.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes a STORED zip by hand, optionally with every size and offset in ZIP64 records (as torch
 * writes for files over 4 GiB), so the reader's ZIP64 path is tested without a 4 GiB file.
 */
final class ZipBytes {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean zip64;
    private int localExtraPadding;

    ZipBytes add(String name, byte[] data) {
        entries.put(name, data);
        return this;
    }

    ZipBytes zip64() {
        zip64 = true;
        return this;
    }

    /** Extra bytes in local headers only (torch pads them to align data), which the reader must skip. */
    ZipBytes localPadding(int n) {
        localExtraPadding = n;
        return this;
    }

    /** A torch.save archive: {@code <prefix>/data.pkl}, {@code <prefix>/data/<key>}..., {@code <prefix>/version}. */
    static ZipBytes torch(String prefix, byte[] pickle, Map<String, byte[]> storages) {
        ZipBytes z = new ZipBytes().add(prefix + "/data.pkl", pickle);
        storages.forEach((k, v) -> z.add(prefix + "/data/" + k, v));
        return z.add(prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }

    void write(Path file) throws IOException {
        Files.write(file, bytes());
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] data = e.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            long offset = out.size();
            int localExtra = (zip64 ? 20 : 0) + localExtraPadding;
            ByteBuffer lh = le(30 + name.length + localExtra);
            lh.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0).putShort((short) 0)
                    .putInt(0).putInt((int) crc.getValue())
                    .putInt(zip64 ? -1 : data.length).putInt(zip64 ? -1 : data.length)
                    .putShort((short) name.length).putShort((short) localExtra).put(name);
            if (zip64) {
                lh.putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length);
            }
            if (localExtraPadding > 0) {
                lh.putShort((short) 0x4650).putShort((short) (localExtraPadding - 4)).put(new byte[localExtraPadding - 4]);
            }
            out.writeBytes(lh.array());
            out.writeBytes(data);
            int cdExtra = zip64 ? 28 : 0;
            ByteBuffer ch = le(46 + name.length + cdExtra);
            ch.putInt(0x02014b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) (zip64 ? 45 : 20))
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) crc.getValue())
                    .putInt(zip64 ? -1 : data.length).putInt(zip64 ? -1 : data.length)
                    .putShort((short) name.length).putShort((short) cdExtra).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) offset).put(name);
            if (zip64) {
                ch.putShort((short) 1).putShort((short) 24).putLong(data.length).putLong(data.length).putLong(offset);
            }
            central.writeBytes(ch.array());
        }
        long cdOffset = out.size();
        byte[] cd = central.toByteArray();
        out.writeBytes(cd);
        if (zip64) {
            long z64 = out.size();
            ByteBuffer r = le(56);
            r.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(entries.size()).putLong(entries.size()).putLong(cd.length).putLong(cdOffset);
            out.writeBytes(r.array());
            ByteBuffer loc = le(20);
            loc.putInt(0x07064b50).putInt(0).putLong(z64).putInt(1);
            out.writeBytes(loc.array());
        }
        ByteBuffer eocd = le(22);
        eocd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) (zip64 ? -1 : entries.size())).putShort((short) (zip64 ? -1 : entries.size()))
                .putInt(zip64 ? -1 : cd.length).putInt(zip64 ? -1 : (int) cdOffset).putShort((short) 0);
        out.writeBytes(eocd.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
