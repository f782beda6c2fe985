package org.biogpt.spark.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file the way the reference library does: 8-byte little-endian
 * header length, compact JSON header with {@code __metadata__ {"format":"pt"}} padded with spaces
 * to a multiple of 8, then each tensor's data in map order. Values are streamed tensor by tensor
 * in chunks (the file may be many GiB) into a temporary file that is renamed at the end, so a
 * failed write never leaves a half-written checkpoint under the final name.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    public static void write(Path file, LinkedHashMap<String, ? extends TensorData> tensors, DType dtype) {
        write(file, tensors, dtype, Map.of("format", "pt"));
    }

    public static void write(Path file, LinkedHashMap<String, ? extends TensorData> tensors, DType dtype,
                             Map<String, String> metadata) {
        byte[] header = header(tensors, dtype, metadata);
        AtomicFile.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                TensorEncoder encoder = new TensorEncoder(dtype);
                for (TensorData t : tensors.values()) {
                    encoder.encode(t, chunk -> writeFully(ch, chunk));
                }
            }
        });
    }

    /** The JSON header, padded with spaces so the data starts 8-byte aligned. */
    static byte[] header(Map<String, ? extends TensorData> tensors, DType dtype, Map<String, String> metadata) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, ? extends TensorData> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is reserved in safetensors");
            }
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", dtype.name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + e.getKey() + "' has a negative dimension");
                }
                shape.add(d);
            }
            long end = offset + Math.multiplyExact(e.getValue().numel(), dtype.bytes);
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
