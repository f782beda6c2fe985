package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    @Test
    void headerHasFormatMetadataAndIsSpacePaddedTo8Bytes() throws IOException {
        Path f = tmp.resolve("a.safetensors");
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
        t.put("x", TensorData.of(new float[] {1, 2, 3}, 3));
        SafetensorsWriter.write(f, t, DType.F32);
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        assertEquals(json + " ".repeat((int) headerLen - json.length()), header);
        assertEquals(8 + headerLen + 12, bytes.length);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(Map.of("format", "pt"), sf.metadata());
            assertArrayEquals(new float[] {1, 2, 3}, sf.readFloats("x"));
        }
    }

    /** Reads of the original fixture weights and of their rewrite. */
    private interface RewriteCheck {
        void check(SafetensorsFile original, SafetensorsFile rewritten);
    }

    /** Rewrites a fixture's model.safetensors from its widened values in {@code dtype}, then checks both. */
    private void rewrite(String fixture, DType dtype, RewriteCheck check) throws IOException {
        Path src = Fixtures.model(fixture).resolve("model.safetensors");
        Path out = tmp.resolve(dtype.name().toLowerCase() + ".safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(src)) {
            SafetensorsWriter.write(out, arrays(in), dtype);
            try (SafetensorsFile back = SafetensorsFile.open(out)) {
                check.check(in, back);
            }
        }
    }

    @Test
    void bf16FixtureRewrittenFromWidenedValuesIsBitIdentical() throws IOException {
        // Widening BF16 is exact, so narrowing the widened values must give back the stored bits.
        rewrite("causal-lm-bf16", DType.BF16, (in, back) -> {
            for (String name : in.names()) {
                assertEquals(in.rawBytes(name), back.rawBytes(name), name);
                assertEquals(DType.BF16, back.info(name).dtype());
            }
        });
    }

    @Test
    void f16RoundTripIsWithinHalfPrecision() throws IOException {
        rewrite("causal-lm", DType.F16, (in, back) -> {
            for (String name : in.names()) {
                float[] a = in.readFloats(name);
                float[] b = back.readFloats(name);
                assertArrayEquals(in.info(name).shape(), back.info(name).shape(), name);
                for (int i = 0; i < a.length; i++) {
                    // binary16 keeps 11 significant bits: relative error <= 2^-11 for normal values
                    assertEquals(a[i], b[i], Math.max(Math.abs(a[i]) * 0x1p-11f, 0x1p-24f), name + "[" + i + "]");
                }
            }
        });
    }

    @Test
    void f32RewriteOfAFixtureKeepsEveryBit() throws IOException {
        rewrite("token-classification", DType.F32, (in, back) -> {
            assertEquals(in.names(), back.names());
            for (String name : in.names()) {
                assertEquals(in.rawBytes(name), back.rawBytes(name), name);
            }
        });
    }

    @Test
    void generatedTensorLargerThanOneChunkIsStreamedInOrder() throws IOException {
        int n = 200_003; // several write chunks, not a multiple of the chunk size
        Path f = tmp.resolve("gen.safetensors");
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
        t.put("big", TensorData.generated(new long[] {n}, (start, dst, count) -> {
            for (int i = 0; i < count; i++) {
                dst[i] = start + i;
            }
        }));
        t.put("small", TensorData.of(new float[] {-1}, 1, 1));
        SafetensorsWriter.write(f, t, DType.F32);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            float[] v = sf.readFloats("big");
            assertEquals(n, v.length);
            for (int i = 0; i < n; i++) {
                assertEquals((float) i, v[i]);
            }
            assertArrayEquals(new long[] {1, 1}, sf.info("small").shape());
            assertArrayEquals(new float[] {-1}, sf.readFloats("small"));
        }
        assertTrue(Arrays.stream(tmp.toFile().list()).noneMatch(s -> s.endsWith(".tmp")), "no temporary file left");
    }

    /** Each tensor of {@code sd} as an in-memory TensorData, in storage order. */
    static LinkedHashMap<String, TensorData> arrays(StateDict sd) {
        LinkedHashMap<String, TensorData> out = new LinkedHashMap<>();
        for (String name : sd.names()) {
            out.put(name, TensorData.of(sd.readFloats(name), sd.info(name).shape()));
        }
        return out;
    }
}
