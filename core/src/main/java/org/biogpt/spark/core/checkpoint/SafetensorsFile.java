package org.biogpt.spark.core.checkpoint;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}}, then the raw data. Each tensor is memory-mapped on its own
 * (so no 2 GiB limit on the file and no copy on the heap); the header is validated before any
 * tensor is touched.
 */
public final class SafetensorsFile implements StateDict {
    /** A header larger than this is not a real checkpoint header (the format caps it at 100 MB). */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private record Entry(TensorInfo info, long begin, long end) {
    }

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        return CheckpointChannel.open(path, ch -> {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(path + ": not a safetensors file (" + size + " bytes, no header)");
            }
            long headerLen = CheckpointChannel.readAt(ch, 0, 8).getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new CheckpointException(path + ": safetensors header length " + headerLen
                        + " is invalid for a file of " + size + " bytes");
            }
            byte[] header = CheckpointChannel.readAt(ch, 8, (int) headerLen).array();
            long dataStart = 8 + headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(path, header, size - dataStart, metadata);
            return new SafetensorsFile(path, ch, dataStart, entries, metadata);
        });
    }

    private static Map<String, Entry> parseHeader(Path path, byte[] json, long dataLen, Map<String, String> metadata) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonParseException e) {
            throw new CheckpointException(path + ": safetensors header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot parse safetensors header: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(path + ": safetensors header must be a JSON object");
        }
        List<Entry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            list.add(parseEntry(path, name, v, dataLen));
        }
        // Tensors must not overlap: a crafted header could otherwise alias one tensor's bytes.
        List<Entry> sorted = new ArrayList<>(list);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin < prev.end) {
                throw new CheckpointException(path + ": tensors '" + prev.info.name() + "' and '"
                        + cur.info.name() + "' have overlapping data_offsets");
            }
        }
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : list) {
            map.put(e.info.name(), e);
        }
        return map;
    }

    private static Entry parseEntry(Path path, String name, JsonNode v, long dataLen) {
        String where = path + ": tensor '" + name + "'";
        if (!v.isObject() || !v.has("dtype") || !v.has("shape") || !v.has("data_offsets")) {
            throw new CheckpointException(where + " needs dtype, shape and data_offsets");
        }
        DType dtype = DType.fromSafetensors(v.get("dtype").asText(), name);
        JsonNode shapeNode = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
            throw new CheckpointException(where + " has a malformed shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new CheckpointException(where + " has an invalid dimension " + d);
            }
            shape[i] = d.asLong();
        }
        if (!offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
            throw new CheckpointException(where + " has non-integer data_offsets");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new CheckpointException(where + " has invalid data_offsets [" + begin + ", " + end + "]");
        }
        if (end > dataLen) {
            throw new CheckpointException(where + " ends at byte " + end + " but the file holds only "
                    + dataLen + " data bytes (truncated file?)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape);
        long expected;
        try {
            expected = Math.multiplyExact(info.numel(), dtype.bytes);
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + " has an impossibly large shape");
        }
        if (end - begin != expected) {
            throw new CheckpointException(where + " has " + (end - begin) + " bytes but shape "
                    + java.util.Arrays.toString(shape) + " " + dtype + " needs " + expected);
        }
        return new Entry(info, begin, end);
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new CheckpointException(path + " has no tensor '" + name + "'");
        }
        return e;
    }

    /** The tensor's stored bytes, memory-mapped read-only. */
    public ByteBuffer rawBytes(String name) {
        Entry e = entry(name);
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, e.end - e.begin)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new CheckpointException("cannot map tensor '" + name + "' of " + path + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public ByteBuffer float32Bytes(String name) {
        Entry e = entry(name);
        ByteBuffer raw = rawBytes(name);
        return e.info.dtype() == DType.F32 ? raw : Float16.widen(raw, e.info.numel(), e.info.dtype());
    }

    @Override
    public void close() {
        CheckpointChannel.closeQuietly(channel);
    }
}
